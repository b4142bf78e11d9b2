import type { TextToSpeech, TextToSpeechSession } from '../call-runtime/speech.port.ts';
import { normalizeForSpeech } from './speech-text.ts';

/**
 * Speech synthesis of what a person would say: prices, addresses, units, phone numbers and dates are put
 * into words before the vendor sees them (their own normalisers misread "$1,249,000" or "#4B", and turning
 * theirs off saves latency). The transcript keeps the written text; only the audio changes.
 */
export class SpokenTextToSpeech implements TextToSpeech {
  readonly name: string;

  constructor(private readonly inner: TextToSpeech) {
    this.name = inner.name;
  }

  synthesize(text: string, signal: AbortSignal): AsyncIterable<Buffer> {
    return this.inner.synthesize(normalizeForSpeech(text), signal);
  }

  session(callSid: string): TextToSpeechSession {
    const session = this.inner.session?.(callSid);
    if (!session) return Object.assign(new SpokenTextToSpeech(this.inner), { close: () => {} });
    return Object.assign(new SpokenTextToSpeech(session), { close: () => session.close() });
  }
}
