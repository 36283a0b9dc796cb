import type { RepositoryDetail } from '../../../../shared/ipc/contract';

/** The report as the renderer receives it: targets are fetched a page at a time instead. */
export type ReportView = RepositoryDetail['report'];

/** Roles expiring inside this window are flagged, matching the engine's default --warn-days. */
export const WARN_DAYS = 30;
