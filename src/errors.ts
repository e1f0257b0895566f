/**
 * A user error: bad input, a missing file, an option out of range. The CLI prints its message as
 * one line on stderr and exits 2. Anything else thrown is a bug and shows its stack.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Prefix a user error with where it came from (a file name, a field path). */
export function withSource<T>(source: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UserError && !e.message.startsWith(source)) throw new UserError(`${source}: ${e.message}`);
    throw e;
  }
}
