import { createServer } from 'node:net';
import { expect } from 'vitest';
import { TextGenerationError } from '../../../src/domain/shared/text-generator.port.ts';

/** The TextGenerationError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<TextGenerationError> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (err: unknown) => ({ rejected: err }),
  );
  if (!('rejected' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.resolved)}`);
  expect(outcome.rejected).toBeInstanceOf(TextGenerationError);
  return outcome.rejected as TextGenerationError;
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
