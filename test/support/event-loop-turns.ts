/**
 * Counts event-loop turns while long work runs: a setImmediate chain that re-arms itself runs once
 * per turn the work gives back. Work done in one synchronous block lets it run only once or twice.
 */
export function countTurns(): { readonly count: number; stop: () => number } {
  let turns = 0;
  let ticking = true;
  const tick = (): void => {
    turns += 1;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get count() {
      return turns;
    },
    stop() {
      ticking = false;
      return turns;
    },
  };
}
