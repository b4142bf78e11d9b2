/** A command-line mistake: printed as its message alone, exit code 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
