/**
 * Barge-in policy: whether caller speech heard while the agent is talking should cut the agent off. Pure
 * logic (no timers, no I/O): the transport feeds it the recognizer's events and the caller's audio levels,
 * and acts on its verdicts; so the `clear` goes out in the same tick as the event that decided it.
 *
 * Rules (after Vapi's stopSpeakingPlan, telephony.md A2):
 * - Interruption phrases ("stop", "wait", "hold on", "actually", "excuse me", "sorry", "no no") always
 *   interrupt, as soon as a partial (or the final) shows them.
 * - Backchannels ("uh-huh", "mm-hmm", "okay", "yeah", "right", "sure") never interrupt, and a backchannel
 *   that arrives as the final while the agent is still talking is not a caller turn (`deliver: false`).
 * - Noise (speech activity with no words and little voiced audio) does not interrupt.
 * - Any other speech interrupts once it is clearly speech: a partial with a word that is neither a
 *   backchannel nor the start of one, or `minSpeechMs` of voiced audio in the current utterance (for
 *   recognizers without early partials), or a backchannel that goes on past `maxBackchannelMs`.
 */

export interface BargeInRules {
  /** Phrases that never interrupt (normalized: lower case, words separated by single spaces). */
  backchannels: readonly string[];
  /** Phrases that always interrupt. */
  interruptions: readonly string[];
  /** Hesitation sounds: they neither interrupt nor make an utterance "speech". */
  fillers: readonly string[];
  /**
   * Voiced audio (ms) that makes an utterance with no words yet clearly speech. 0: interrupt as soon as the
   * recognizer reports speech (no backchannel filtering before the words are known).
   */
  minSpeechMs: number;
  /** Voiced audio (ms) after which an utterance that so far is only a backchannel interrupts anyway. */
  maxBackchannelMs: number;
  /** More words than this is never a backchannel. */
  maxBackchannelWords: number;
  /** A 20 ms frame at or above this level (dBFS) is voiced; the transport measures it. */
  voicedDbfs: number;
  /** Quiet gaps shorter than this do not end a voiced stretch (pauses between syllables). */
  gapMs: number;
}

export const DEFAULT_BARGE_IN_RULES: Readonly<BargeInRules> = {
  backchannels: [
    'uh huh',
    'uh hum',
    'mm hmm',
    'mm hm',
    'mhm',
    'mmhmm',
    'mm',
    'hmm',
    'okay',
    'ok',
    'k',
    'yeah',
    'yes',
    'yep',
    'yup',
    'ya',
    'right',
    'sure',
    'alright',
    'all right',
    'got it',
    'i see',
    'i understand',
    'understood',
    'aha',
    'ah',
    'oh',
    'cool',
    'great',
    'nice',
    'perfect',
    'good',
    'sounds good',
    'makes sense',
    'exactly',
    'of course',
    'true',
    'totally',
    'absolutely',
    'thanks',
    'thank you',
  ],
  interruptions: [
    'stop',
    'wait',
    'hold on',
    'hang on',
    'hold up',
    'actually',
    'excuse me',
    'sorry',
    'pardon',
    'no no',
    'one sec',
    'one second',
    'just a second',
    'just a moment',
    'listen',
  ],
  fillers: ['uh', 'um', 'er', 'erm', 'ah', 'eh', 'uhm', 'hm'],
  minSpeechMs: 500,
  maxBackchannelMs: 1_500,
  maxBackchannelWords: 5,
  voicedDbfs: -40,
  gapMs: 200,
};

/** Interrupts as soon as the recognizer reports speech: no backchannel filtering (the old behaviour). */
export const IMMEDIATE_BARGE_IN: Partial<BargeInRules> = { minSpeechMs: 0 };

/** What a transcript is, for barge-in. */
export type SpeechClass =
  /** No words, or hesitation sounds only. */
  | 'empty'
  /** Backchannel phrases only ("uh-huh", "okay, sure"). */
  | 'backchannel'
  /** Backchannels so far, ending in what may be the start of one ("got" → "got it"): wait for more. */
  | 'backchannel_prefix'
  /** Contains an interruption phrase. */
  | 'interruption'
  /** Anything else. */
  | 'speech';

/** Lower case words: punctuation and hyphens become spaces ("Uh-huh." → "uh huh"), apostrophes kept. */
export function normalizeTranscript(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .replace(/(^|\s)'+|'+(?=\s|$)/g, '$1')
    .trim();
}

const words = (phrase: string): string[] => normalizeTranscript(phrase).split(' ').filter(Boolean);

type PhraseRules = Pick<BargeInRules, 'backchannels' | 'interruptions' | 'fillers' | 'maxBackchannelWords'>;

interface CompiledRules {
  interruptions: string[][];
  /** Longest first, so "uh huh" wins over "uh". */
  backchannels: string[][];
  fillers: Set<string>;
  maxBackchannelWords: number;
}

const compiledCache = new WeakMap<PhraseRules, CompiledRules>();

function compile(rules: PhraseRules): CompiledRules {
  let compiled = compiledCache.get(rules);
  if (!compiled) {
    compiled = {
      interruptions: rules.interruptions.map(words).filter((p) => p.length),
      backchannels: rules.backchannels
        .map(words)
        .filter((p) => p.length)
        .sort((a, b) => b.length - a.length),
      fillers: new Set(rules.fillers.flatMap(words)),
      maxBackchannelWords: rules.maxBackchannelWords,
    };
    compiledCache.set(rules, compiled);
  }
  return compiled;
}

/** Does `tokens` contain `phrase` (as whole words) anywhere? */
function containsPhrase(tokens: string[], phrase: string[]): boolean {
  for (let i = 0; i + phrase.length <= tokens.length; i++) {
    if (phrase.every((w, j) => tokens[i + j] === w)) return true;
  }
  return false;
}

/** Classifies a (partial or final) transcript against the rules. */
export function classifySpeech(text: string, rules: PhraseRules = DEFAULT_BARGE_IN_RULES): SpeechClass {
  const r = compile(rules);
  const tokens = words(text);
  if (r.interruptions.some((p) => containsPhrase(tokens, p))) return 'interruption';
  const content = tokens.filter((t) => !r.fillers.has(t));
  if (!content.length) return 'empty';
  if (content.length > r.maxBackchannelWords) return 'speech';
  // Cover the words with backchannel phrases ("uh huh" before the filler "uh") and fillers, left to right.
  let i = 0;
  while (i < tokens.length) {
    const rest = tokens.slice(i);
    const match = r.backchannels.find((p) => p.length <= rest.length && p.every((w, j) => rest[j] === w));
    if (match) {
      i += match.length;
      continue;
    }
    if (r.fillers.has(tokens[i]!)) {
      i++;
      continue;
    }
    // The unmatched tail may be the start of a backchannel still being said ("got" → "got it").
    const prefix = r.backchannels.some((p) => p.length > rest.length && rest.every((w, j) => p[j] === w));
    return prefix ? 'backchannel_prefix' : 'speech';
  }
  return 'backchannel';
}

/** Why the agent was cut off. */
export type BargeInTrigger =
  /** An interruption phrase in a partial or the final. */
  | 'interruption_phrase'
  /** A word that is not a backchannel, in a partial or the final. */
  | 'words'
  /** Enough voiced audio (no words yet, or a backchannel that went on). */
  | 'duration'
  /** The recognizer reported speech and the rules interrupt at once (`minSpeechMs` 0). */
  | 'speech_started';

export type BargeInVerdict = { interrupt: true; trigger: BargeInTrigger } | { interrupt: false };

const WAIT: BargeInVerdict = { interrupt: false };

/**
 * One call's barge-in state. Feed it every event of the caller's side; each call returns whether the
 * evidence so far says "interrupt" (the transport acts on it only while the agent is talking, once per
 * utterance). Audio levels are tracked all the time, so a recognizer whose `speechStarted` comes late
 * (a vendor VAD over the network) is judged on the voiced audio that led up to it.
 */
export class BargeInDetector {
  readonly rules: Readonly<BargeInRules>;
  /** Voiced audio (ms) in the current voiced stretch (quiet gaps shorter than `gapMs` do not end it). */
  private stretchMs = 0;
  private quietMs = 0;
  /** Voiced audio (ms) of the current utterance, counting the stretch that led up to its `speechStarted`. */
  private voicedMs = 0;
  /** The recognizer is in an utterance (speechStarted … speechStopped). */
  private inUtterance = false;
  /** What the utterance's latest partial is. */
  private kind: SpeechClass = 'empty';

  constructor(rules: Partial<BargeInRules> = {}) {
    this.rules = { ...DEFAULT_BARGE_IN_RULES, ...rules };
  }

  /** Caller audio: `ms` of it, voiced or not (the transport measures the level against `voicedDbfs`). */
  audio(ms: number, voiced: boolean): BargeInVerdict {
    if (voiced) {
      this.stretchMs += ms;
      this.quietMs = 0;
      if (this.inUtterance) this.voicedMs += ms;
    } else {
      this.quietMs += ms;
      if (this.quietMs >= this.rules.gapMs) this.stretchMs = 0;
    }
    return this.inUtterance ? this.judge() : WAIT;
  }

  speechStarted(): BargeInVerdict {
    this.inUtterance = true;
    this.kind = 'empty';
    this.voicedMs = this.stretchMs;
    if (this.rules.minSpeechMs <= 0) return { interrupt: true, trigger: 'speech_started' };
    return this.judge();
  }

  partial(text: string): BargeInVerdict {
    this.kind = classifySpeech(text, this.rules);
    return this.judge();
  }

  speechStopped(): void {
    this.inUtterance = false;
  }

  /**
   * The utterance's final text. `deliver`: pass it to the session as a caller turn (false for a
   * backchannel or noise said over the agent). `interrupt`: cut the agent off first. The transport applies
   * both only while the agent is talking; otherwise every final is a caller turn.
   */
  final(text: string): { deliver: boolean; verdict: BargeInVerdict } {
    // Utterance state is left alone: with recognizers that transcribe late, the next utterance may
    // already have started.
    const kind = classifySpeech(text, this.rules);
    if (kind === 'interruption') return { deliver: true, verdict: { interrupt: true, trigger: 'interruption_phrase' } };
    if (kind === 'speech' || kind === 'backchannel_prefix')
      return { deliver: true, verdict: { interrupt: true, trigger: 'words' } };
    return { deliver: false, verdict: WAIT };
  }

  /** Voiced audio of the current (or last) utterance, in ms. */
  get voiced(): number {
    return this.voicedMs;
  }

  private judge(): BargeInVerdict {
    switch (this.kind) {
      case 'interruption':
        return { interrupt: true, trigger: 'interruption_phrase' };
      case 'speech':
        return { interrupt: true, trigger: 'words' };
      case 'backchannel':
      case 'backchannel_prefix':
        return this.voicedMs >= this.rules.maxBackchannelMs ? { interrupt: true, trigger: 'duration' } : WAIT;
      case 'empty':
        if (!this.inUtterance) return WAIT;
        return this.voicedMs >= this.rules.minSpeechMs ? { interrupt: true, trigger: 'duration' } : WAIT;
    }
  }
}
