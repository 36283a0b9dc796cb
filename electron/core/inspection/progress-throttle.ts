import type { Progress } from '../../../shared/ipc/contract';

/** At most one count per job this often: a PEP 458 inspection counts 16,389 files twice. */
export const PROGRESS_INTERVAL_MS = 100;

interface JobState {
  phase: Progress['phase'];
  at: number;
  pending: Progress | null;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * Progress for the GUI and the CLI, thinned out. Every count became an IPC message, a renderer
 * update (in the e2e harness a CDP round trip): 32,778 of them for one PEP 458 inspection kept the
 * receiving side busy for minutes. A job's first event, every phase change, a phase's last count
 * and the end (done, failed, cancelled) always pass; counts in between pass at most every
 * PROGRESS_INTERVAL_MS, and the latest one held back is sent when that interval is over, so the
 * display never stays behind.
 */
export class ProgressThrottle {
  private readonly jobs = new Map<string, JobState>();

  constructor(
    private readonly emit: (progress: Progress) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  push(progress: Progress): void {
    const job = this.jobs.get(progress.jobId);
    if (progress.phase === 'done' || progress.phase === 'failed' || progress.phase === 'cancelled') {
      if (job?.timer) clearTimeout(job.timer);
      this.jobs.delete(progress.jobId);
      this.emit(progress);
      return;
    }
    const at = this.now();
    const last = progress.total > 0 && progress.done >= progress.total;
    if (job === undefined || job.phase !== progress.phase || last || at - job.at >= this.intervalMs) {
      if (job?.timer) clearTimeout(job.timer);
      this.jobs.set(progress.jobId, { phase: progress.phase, at, pending: null, timer: null });
      this.emit(progress);
      return;
    }
    job.pending = progress;
    if (job.timer === null) {
      job.timer = setTimeout(() => this.flush(progress.jobId), Math.max(0, this.intervalMs - (at - job.at)));
      // A held-back count must not keep a finished CLI process alive.
      job.timer.unref?.();
    }
  }

  private flush(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (job === undefined) return;
    job.timer = null;
    if (job.pending === null) return;
    const pending = job.pending;
    job.pending = null;
    job.at = this.now();
    this.emit(pending);
  }
}
