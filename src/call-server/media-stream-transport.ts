import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { CallRuntime } from '../call-runtime/call-runtime.ts';
import type { CallTransport, Handoff } from '../call-runtime/transport.port.ts';
import type { TextToSpeech } from '../call-runtime/speech.port.ts';
import { Playout, type PlayoutOptions, type PlayoutSink } from '../voice/audio/playout.ts';

/**
 * Our side of a Twilio Media Stream: the session's text becomes audio (TTS) on the socket, paced and marked; the
 * agent's replies are gathered whole for turn-taking; when the session hands the call back, its last words play
 * out before the stream closes.
 */

/** Our messages to Twilio on a stream (audio, marks, `clear`), sent while the socket is open. */
export function streamOut(socket: WebSocket, streamSid: string): PlayoutSink {
  const send = (message: Record<string, unknown>): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ ...message, streamSid }));
  };
  return {
    media: (payload) => send({ event: 'media', media: { payload: payload.toString('base64') } }),
    mark: (name) => send({ event: 'mark', mark: { name } }),
    clear: () => send({ event: 'clear' }),
  };
}

export class MediaStreamTransport implements CallTransport {
  readonly kind = 'media-stream' as const;
  readonly carrierSpeaksGreeting = false;
  readonly playout: Playout;
  /** Set once the session handed the call back: its last words play out, and nothing interrupts them. */
  ending = false;
  /** Told the whole text of each agent reply once its last piece is queued. */
  onReply: ((text: string) => void) | null = null;
  /** The reply being queued (pieces until one with `last`). */
  private replyText: string[] = [];

  constructor(
    private readonly socket: WebSocket,
    streamSid: string,
    private readonly callSid: string,
    private readonly calls: CallRuntime,
    tts: TextToSpeech,
    private readonly opts: { playout?: PlayoutOptions; endWaitMs: number },
    private readonly log: FastifyBaseLogger,
  ) {
    this.playout = new Playout(tts, streamOut(socket, streamSid), opts.playout, log);
  }

  sendText(text: string, last: boolean): void {
    this.playout.say(text, last);
    if (text.trim()) this.replyText.push(text.trim());
    if (!last) return;
    const reply = this.replyText.join(' ');
    this.replyText = [];
    if (reply) this.onReply?.(reply);
  }

  /** A reply is being queued: some pieces came, its last has not. */
  get replyOpen(): boolean {
    return this.replyText.length > 0;
  }

  /** The caller cut the reply off: the pieces queued so far are not a reply to answer. */
  dropOpenReply(): void {
    this.replyText = [];
  }

  clearAudio(): void {
    this.playout.clear();
  }

  end(how: Handoff): void {
    if (this.ending) return;
    this.ending = true;
    this.calls.setHandoff(this.callSid, how);
    void this.closeAfterPlayback();
  }

  /** After the queued audio has played (its last mark came back), or a little after it should have. */
  private async closeAfterPlayback(): Promise<void> {
    await within(this.playout.allSent(), this.opts.endWaitMs);
    await within(this.playout.idle(), this.playout.remainingMs + 1_000);
    this.log.info('media stream: session ended, closing the stream');
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(1000, 'session ended');
  }
}

function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
