/** A fresh job id for add/reinspect, so the renderer can cancel and match progress events to its job. */
export function newJobId(): string {
  return crypto.randomUUID();
}
