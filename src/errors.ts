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

/** Prefix a user error with where it came from (a file name, a field path); `f` may be async. */
export function withSource<T>(source: string, f: () => T): T {
  const prefixed = (e: unknown): unknown => (e instanceof UserError && !e.message.startsWith(source) ? new UserError(`${source}: ${e.message}`) : e);
  try {
    const r = f();
    if (r instanceof Promise)
      return r.catch((e: unknown) => {
        throw prefixed(e);
      }) as T;
    return r;
  } catch (e) {
    throw prefixed(e);
  }
}

/**
 * A piece of input text for a one-line message: at most `max` characters, in double quotes, with
 * every control or line-breaking character escaped (`\u001b`, `\r`, …), so that what a file
 * holds can never break the line or drive the terminal.
 */
export function quoted(text: string, max = 40): string {
  const cut = text.length > max ? Array.from(text.slice(0, 2 * max)).slice(0, max).join('') + '…' : text;
  return JSON.stringify(cut).replace(/[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Work stopped because a wall-clock limit passed (`--time-limit` covers the whole command). Not an
 * error of the input: the caller answers `unknown` and says where the time went.
 */
export class TimeLimitReached extends Error {
  constructor(readonly during: string) {
    super(`time limit reached during ${during}`);
    this.name = 'TimeLimitReached';
  }
}

/**
 * A check to call inside long loops: throws TimeLimitReached(`during`) once `deadline` (a
 * `performance.now()` time, ms) has passed, reading the clock on every `every`-th call only.
 * Without a deadline it does nothing.
 */
export function deadlineCheck(deadline: number | undefined, during: string, every = 1024): () => void {
  if (deadline === undefined) return () => {};
  let calls = 0;
  return () => {
    if (++calls % every === 0 && performance.now() > deadline) throw new TimeLimitReached(during);
  };
}
