/** A selection that cannot apply to its dataset; the message names the argument and the allowed range. */
export class InvalidSelectionError extends Error {
  readonly code = "INVALID_SELECTION";
  constructor(message: string) {
    super(message);
    this.name = "InvalidSelectionError";
  }
}
