/**
 * Waiting in tests for something that happens on its own (a socket message, a row, a session): poll, and fail
 * with what was awaited only after a deadline long enough for a loaded 2-core CI machine. A test that passes
 * waits only as long as the thing takes.
 */
export const WAIT_MS = 10_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `check()` holds; after `timeoutMs` fails with "timed out waiting for <what>". */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = WAIT_MS,
  everyMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(everyMs);
  }
}

/** The first item of `items` (a list that grows) matching `match`; fails after `timeoutMs`. */
export async function firstOf<T>(items: readonly T[], match: (item: T) => boolean, what: string, timeoutMs = WAIT_MS) {
  let found: T | undefined;
  await until(() => (found = items.find(match)) !== undefined, what, timeoutMs);
  return found as T;
}

/**
 * Reads until `ok(value)`; after `timeoutMs` returns the last value read anyway, so that the test's own
 * assertion on it shows what was there.
 */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await pause(20);
  }
}

/** `vi.waitFor`'s options with the same deadline (its own default is 1 s). */
export const WAIT = { timeout: WAIT_MS, interval: 10 } as const;
