import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { closeServer, listenOnFreePort, refuseUpgrade } from '../http-fake.ts';
import { TranscriptionConnection } from './realtime-transcription-connection.ts';
import { WAIT_MS } from '../../helpers/wait.ts';

/**
 * A stand-in for the OpenAI Realtime API in transcription mode (GA shape, as OpenAiRealtimeSpeechToText
 * pins it), on 127.0.0.1 with a random port:
 *
 *   WS /v1/realtime?intent=transcription   `Authorization: Bearer <apiKey>` (else HTTP 401 with an
 *                                         OpenAI-style JSON error body, and the upgrade is refused)
 *
 * Server → client: `session.created` on connect; `session.updated` (the merged configuration) for each
 * `session.update` (which must have `session.type: "transcription"`, else an `error` event). Appended audio
 * (`input_audio_buffer.append`, base64) is decoded as μ-law when the format is `audio/pcmu` (anything else
 * gets an `error` event) and run through an energy VAD in 20 ms frames, timed by the audio itself:
 * `startMs` of voiced audio → `input_audio_buffer.speech_started`; `silence_duration_ms` (from the session,
 * default 500) of quiet → `input_audio_buffer.speech_stopped`, `input_audio_buffer.committed`, then after
 * the utterance's latency one `conversation.item.input_audio_transcription.delta` per word (with its
 * leading space, as OpenAI sends them) and `…completed` with the whole transcript (or `…failed`).
 *
 * What an utterance says cannot come from the audio: it is taken when speech starts from the connection's
 * own queue (`connection.queueTranscript`), else the server-wide `script`, else "" (a completed event with
 * an empty transcript, as for noise). Everything the client sent is recorded; `drop()` cuts a connection
 * without a close frame.
 */

export interface ScriptedUtterance {
  text: string;
  /** Delay from speech_stopped to the first delta. Default: the server's `latencyMs`. */
  latencyMs?: number;
  /** Send `…transcription.failed` instead of the transcript. */
  fail?: boolean;
}

export interface FakeRealtimeTranscriptionOptions {
  apiKey: string;
  /** Default delay from speech_stopped to the transcript. Default 0. */
  latencyMs?: number;
  /** A 20 ms frame at or above this level is voiced. Default −40 dBFS. */
  thresholdDbfs?: number;
  /** Voiced audio before speech_started. Default 60 ms. */
  startMs?: number;
}

export interface FakeRealtimeConnection {
  readonly index: number;
  /** Every client event, parsed, in order (appends included). */
  readonly received: Record<string, unknown>[];
  /** The `session` of each `session.update`, in order. */
  readonly sessionUpdates: Record<string, unknown>[];
  /** The merged configuration (what `session.updated` reported last). */
  readonly config: Record<string, unknown>;
  /** `silence_duration_ms` set by each update that set one, in order. */
  readonly silenceDurations: number[];
  /** The μ-law audio received so far. */
  audio(): Buffer;
  /** The next utterance(s) this connection's caller will say. */
  queueTranscript(...utterances: (string | ScriptedUtterance)[]): void;
  /** Sends a server event as is. */
  sendEvent(event: Record<string, unknown>): void;
  /** Cuts the connection: no close frame (the client sees 1006). */
  drop(): void;
  readonly closed: Promise<void>;
}

export interface FakeRealtimeTranscriptionServer {
  /** ws://127.0.0.1:P/v1/realtime?intent=transcription */
  url: string;
  connections: FakeRealtimeConnection[];
  /** Upgrades refused (bad or missing key), with the Authorization header sent. */
  refused: { authorization: string | undefined }[];
  /** Utterances for any connection with nothing queued of its own. */
  script: (string | ScriptedUtterance)[];
  /** Resolves with the n-th (0-based) connection once it is open. */
  connection(index: number): Promise<FakeRealtimeConnection>;
  /** Waits until `ready()` holds, checked whenever a client event or connection arrives. */
  until(ready: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeRealtimeTranscriptionServer(
  opts: FakeRealtimeTranscriptionOptions,
): Promise<FakeRealtimeTranscriptionServer> {
  const connections: FakeRealtimeConnection[] = [];
  const refused: FakeRealtimeTranscriptionServer['refused'] = [];
  const script: (string | ScriptedUtterance)[] = [];
  const watchers = new Set<() => void>();
  const changed = (): void => {
    for (const w of [...watchers]) w();
  };

  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/v1/realtime' || url.searchParams.get('intent') !== 'transcription') {
      reject(socket, 404, 'invalid_request_error', 'Unknown realtime endpoint');
      return;
    }
    if (req.headers.authorization !== `Bearer ${opts.apiKey}`) {
      refused.push({ authorization: req.headers.authorization });
      reject(socket, 401, 'invalid_request_error', 'Incorrect API key provided.');
      changed();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      connections.push(new TranscriptionConnection(connections.length, ws, opts, script, changed));
      changed();
    });
  });
  const port = await listenOnFreePort(http);

  const until = (ready: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (!ready()) return;
        clearTimeout(timer);
        watchers.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`fake realtime server: timed out waiting for ${what}`));
      }, timeoutMs);
      watchers.add(check);
      check();
    });

  return {
    url: `ws://127.0.0.1:${port}/v1/realtime?intent=transcription`,
    connections,
    refused,
    script,
    async connection(index) {
      await until(() => connections.length > index, `connection #${index}`);
      return connections[index]!;
    },
    until,
    async close() {
      for (const c of connections) c.drop();
      wss.close();
      await closeServer(http);
    },
  };
}

function reject(socket: Duplex, status: number, type: string, message: string): void {
  refuseUpgrade(socket, status, {
    error: { type, code: status === 401 ? 'invalid_api_key' : null, message, param: null },
  });
}
