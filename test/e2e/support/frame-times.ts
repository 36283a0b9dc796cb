/**
 * Scroll frame times of a virtualized table, measured in the page: the element is scrolled 900 px
 * per animation frame for `durationMs` and every frame's time is recorded. Specs print these, never
 * assert them (CI machines vary too much); only `rows` (how far the scroll got) is asserted.
 */
import type { Locator } from '@playwright/test';

export interface ScrollFrameStats {
  frames: number;
  fps: number;
  /** Frame-time percentiles in ms (one decimal); `max` is the slowest frame. */
  p50: number;
  p95: number;
  p999: number;
  max: number;
  /** Rows scrolled past (36 px rows). */
  rows: number;
}

export function measureScrollFrames(scroller: Locator, durationMs = 3000): Promise<ScrollFrameStats> {
  return scroller.evaluate(
    (el, duration) =>
      new Promise<ScrollFrameStats>((resolve) => {
        const deltas: number[] = [];
        const start = performance.now();
        let last = start;
        const step = (now: number): void => {
          deltas.push(now - last);
          last = now;
          el.scrollTop += 900;
          if (now - start < duration) requestAnimationFrame(step);
          else {
            // The first delta spans the wait for the first frame, not a frame: left out.
            const sorted = [...deltas.slice(1)].sort((a, b) => a - b);
            const at = (q: number): number => Math.round((sorted[Math.floor(sorted.length * q)] ?? 0) * 10) / 10;
            resolve({
              frames: deltas.length,
              fps: Math.round((deltas.length / (now - start)) * 10000) / 10,
              p50: at(0.5),
              p95: at(0.95),
              p999: at(0.999),
              max: Math.round((sorted[sorted.length - 1] ?? 0) * 10) / 10,
              rows: Math.round(el.scrollTop / 36),
            });
          }
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(step);
        });
      }),
    durationMs,
  );
}
