import type { Api } from '../../shared/ipc/create-api';

declare global {
  interface Window {
    /** Generated from shared/ipc/contract.ts by the preload (or the e2e bridge). Only renderer/lib/api.ts reads it. */
    readonly api: Api;
  }
}

export {};
