import { TextToSpeechError, type TextToSpeech, type TextToSpeechSession } from '../call-runtime/speech.port.ts';
import type { Logger } from '../log.ts';

export interface FailoverOptions {
  /** Consecutive primary failures after which the secondary speaks alone for `coolDownMs`. Default 3. */
  failureThreshold?: number;
  /** How long the secondary speaks alone after `failureThreshold` failures. Default 60 000. */
  coolDownMs?: number;
  /**
   * The primary's deadline for a phrase's first audio byte, enforced here whatever the adapter's own (a vendor
   * that hangs must not silence the call). Default 2500; null leaves it to the adapter.
   */
  firstByteTimeoutMs?: number | null;
  log?: Pick<Logger, 'info' | 'warn'>;
  /** Clock, for tests. */
  now?: () => number;
}

/** Failure count and cool-down, shared by an instance and all its per-call sessions. */
class Breaker {
  failures = 0;
  coolUntil = 0;
}

/**
 * Two text-to-speech vendors, the secondary standing in for the primary:
 *
 * - Each phrase goes to the primary. If it fails before its first audio byte (an error, or no byte within
 *   `firstByteTimeoutMs`), it is aborted and the same phrase is spoken by the secondary. Once audio has flowed a
 *   failure is thrown (re-speaking the phrase would repeat what the caller heard); it still counts as a failure.
 * - After `failureThreshold` consecutive primary failures, phrases go straight to the secondary for `coolDownMs`;
 *   then the primary is tried again, and one more failure starts a new cool-down. A phrase with audio from the
 *   primary resets the count.
 * - Aborting `signal` aborts whichever vendor is speaking and throws the reason; an abort is no failure.
 * - `session(callSid)` opens both vendors' per-call sessions (those that have one) and shares this instance's
 *   failure count and cool-down, so one vendor outage trips the breaker for every call.
 */
export class FailoverTextToSpeech implements TextToSpeech {
  readonly name: string;
  protected readonly breaker: Breaker;
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly firstByteTimeoutMs: number | null;
  private readonly now: () => number;

  constructor(
    protected readonly primary: TextToSpeech,
    protected readonly secondary: TextToSpeech,
    protected readonly options: FailoverOptions = {},
    /** @internal A session shares its parent's breaker. */
    breaker?: Breaker,
  ) {
    this.name = `${primary.name}>${secondary.name}`;
    this.breaker = breaker ?? new Breaker();
    this.threshold = Math.max(1, options.failureThreshold ?? 3);
    this.coolDownMs = Math.max(0, options.coolDownMs ?? 60_000);
    this.firstByteTimeoutMs = options.firstByteTimeoutMs === undefined ? 2_500 : options.firstByteTimeoutMs;
    this.now = options.now ?? Date.now;
  }

  /** Primary failures in a row, and whether the secondary is speaking alone now. */
  get state(): { consecutiveFailures: number; coolingDown: boolean } {
    return { consecutiveFailures: this.breaker.failures, coolingDown: this.now() < this.breaker.coolUntil };
  }

  session(callSid: string): TextToSpeechSession {
    const primary = this.primary.session?.(callSid);
    const secondary = this.secondary.session?.(callSid);
    return new FailoverSession(
      primary ?? this.primary,
      secondary ?? this.secondary,
      this.options,
      this.breaker,
      [primary, secondary].filter((s): s is TextToSpeechSession => s !== undefined),
    );
  }

  async *synthesize(text: string, signal: AbortSignal): AsyncGenerator<Buffer> {
    signal.throwIfAborted();
    if (this.now() < this.breaker.coolUntil) {
      yield* this.secondary.synthesize(text, signal);
      return;
    }
    const attempt = new AbortController();
    const onAbort = (): void => attempt.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const iterator = this.primary.synthesize(text, attempt.signal)[Symbol.asyncIterator]();
    let finished = false;
    try {
      let first: IteratorResult<Buffer>;
      try {
        first = await this.firstWithin(iterator, signal);
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        finished = true;
        attempt.abort(err);
        iterator.return?.()?.catch(() => undefined);
        this.failed(err, 'before its first byte; the phrase goes to the secondary');
        yield* this.secondary.synthesize(text, signal);
        return;
      }
      this.succeeded();
      if (first.done) {
        finished = true;
        return;
      }
      yield first.value;
      for (;;) {
        let step: IteratorResult<Buffer>;
        try {
          step = await iterator.next();
        } catch (err) {
          finished = true;
          if (!signal.aborted) this.failed(err, 'mid-phrase; the phrase is cut short');
          throw err;
        }
        if (step.done) {
          finished = true;
          return;
        }
        yield step.value;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!finished) {
        // Stopped early (abort, failover, a consumer that broke off): end the primary's stream too.
        if (!attempt.signal.aborted) attempt.abort(new Error('failover: phrase ended'));
        iterator.return?.()?.catch(() => undefined);
      }
    }
  }

  /** The primary's first step, or a rejection: its error, the failover deadline, or the caller's abort. */
  private firstWithin(iterator: AsyncIterator<Buffer>, signal: AbortSignal): Promise<IteratorResult<Buffer>> {
    const next = iterator.next();
    // Whatever happens to it after the race is settled elsewhere.
    next.catch(() => undefined);
    const limit = this.firstByteTimeoutMs;
    return new Promise<IteratorResult<Buffer>>((resolve, reject) => {
      const timer =
        limit === null
          ? null
          : setTimeout(
              () =>
                reject(
                  new TextToSpeechError({
                    vendor: this.primary.name,
                    kind: 'timeout',
                    message: `no audio within ${limit} ms (failover deadline)`,
                  }),
                ),
              limit,
            );
      const onAbort = (): void => reject(signal.reason as Error);
      signal.addEventListener('abort', onAbort, { once: true });
      next
        .then(resolve, reject)
        .finally(() => {
          if (timer) clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
        })
        .catch(() => undefined);
    });
  }

  private failed(err: unknown, what: string): void {
    const b = this.breaker;
    b.failures++;
    const tts = { primary: this.primary.name, secondary: this.secondary.name, failures: b.failures };
    this.options.log?.warn({ err, tts }, `tts failover: primary failed ${what}`);
    if (b.failures >= this.threshold) {
      const now = this.now();
      if (now >= b.coolUntil) {
        this.options.log?.warn(
          { tts, coolDownMs: this.coolDownMs },
          'tts failover: primary failing repeatedly; the secondary speaks alone for the cool-down',
        );
      }
      b.coolUntil = now + this.coolDownMs;
    }
  }

  private succeeded(): void {
    const b = this.breaker;
    if (b.failures >= this.threshold) {
      this.options.log?.info({ tts: { primary: this.primary.name } }, 'tts failover: primary speaking again');
    }
    b.failures = 0;
  }
}

/** One call's failover: both vendors' sessions, the shared breaker. */
class FailoverSession extends FailoverTextToSpeech implements TextToSpeechSession {
  private closed = false;

  constructor(
    primary: TextToSpeech,
    secondary: TextToSpeech,
    options: FailoverOptions,
    breaker: Breaker,
    /** The vendor sessions opened for this call (closed with it); shared instances are not ours to close. */
    private readonly owned: TextToSpeechSession[],
  ) {
    super(primary, secondary, options, breaker);
  }

  override session(): TextToSpeechSession {
    return this;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.owned) s.close();
  }
}
