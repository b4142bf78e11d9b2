import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect } from 'vitest';
import { DialError, type DialRequest } from '../../src/domain/campaigns/dialer.port.ts';

/** What the outbound dialer tests dial: a caller ID, a number, one attempt of a campaign's target. */
export const CALLER_ID = '+15125550100';
export const TO = '+15125550142';
export const ATTEMPT = 'campaign-7:target-42:attempt-1';
export const VOICEMAIL =
  "Hi, this is Dana Reyes's AI assistant at Smith & Sons <Realty>, calling about the home that just sold on Elm " +
  'Street. Call us back at 512-555-0100. To stop these calls, call that number and press 9.';

/** Our side: an HTTP server on 127.0.0.1 that records what the carriers POST to it and answers 204. */
export interface Received {
  /** The full URL as the carrier called it (what signatures cover). */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        url: `${origin}${req.url ?? '/'}`,
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString(),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The file's receiver, started before its tests and closed after them, with dial requests whose callback and
 * answer URLs point at it.
 */
export function useReceiver(): Pick<Receiver, 'url' | 'received'> & {
  request(over?: Partial<DialRequest>): DialRequest;
} {
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  const started = (): Receiver => {
    if (!receiver) throw new Error('the receiver is not started yet');
    return receiver;
  };
  return {
    get url() {
      return started().url;
    },
    get received() {
      return started().received;
    },
    request: (over = {}) => ({
      attemptKey: ATTEMPT,
      to: TO,
      from: CALLER_ID,
      ringTimeoutSec: 25,
      machineDetection: true,
      callbackUrl: `${started().url}/dial-events?attempt=${encodeURIComponent(ATTEMPT)}`,
      answerUrl: `${started().url}/campaign/answer`,
      metadata: { campaignId: '7', targetId: '42' },
      ...over,
    }),
  };
}

/** The DialError a promise rejects with; fails the test when it ends otherwise. */
export async function dialError(promise: Promise<unknown>): Promise<DialError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DialError);
  return err as DialError;
}
