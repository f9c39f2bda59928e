// What an editor's request on a moment can run into, typed so the routes map them to 404 and 409 with a
// message the editor can act on.
export class MomentNotFoundError extends Error {
  override name = "MomentNotFoundError";
  constructor(momentId: bigint | string) {
    super(`moment ${momentId} does not exist (it may have been removed with its games)`);
  }
}

/** The moment is not in a state that allows the request (already decided, still being described, edited meanwhile). */
export class MomentConflictError extends Error {
  override name = "MomentConflictError";
}
