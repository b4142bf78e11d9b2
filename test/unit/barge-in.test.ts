import { describe, expect, it } from 'vitest';
import {
  BargeInDetector,
  classifySpeech,
  DEFAULT_BARGE_IN_RULES,
  IMMEDIATE_BARGE_IN,
  normalizeTranscript,
  type BargeInVerdict,
} from '../../src/voice/barge-in.ts';

const WAIT: BargeInVerdict = { interrupt: false };

/** `ms` of caller audio in 20 ms frames; the last verdict. */
function audio(d: BargeInDetector, ms: number, voiced = true): BargeInVerdict {
  let v: BargeInVerdict = WAIT;
  for (let t = 0; t < ms; t += 20) v = d.audio(20, voiced);
  return v;
}

describe('normalizeTranscript', () => {
  it('lower-cases, turns punctuation and hyphens into spaces, keeps apostrophes inside words', () => {
    expect(normalizeTranscript('Uh-huh.')).toBe('uh huh');
    expect(normalizeTranscript('  Mm-hmm, OKAY!! ')).toBe('mm hmm okay');
    expect(normalizeTranscript('I’m here')).toBe("i'm here");
    expect(normalizeTranscript("'quoted'")).toBe('quoted');
  });
});

describe('classifySpeech', () => {
  const backchannels = [
    'uh-huh',
    'Uh huh.',
    'mm-hmm',
    'Mhm.',
    'okay',
    'OK.',
    'yeah',
    'Yeah, yeah.',
    'right',
    'Right, right.',
    'sure',
    'Okay, sure.',
    'got it',
    'I see.',
    'all right',
    'sounds good',
    'oh okay',
    'uh, yeah',
    'Yes.',
    'Thank you.',
  ];
  for (const text of backchannels)
    it(`backchannel: ${JSON.stringify(text)}`, () => expect(classifySpeech(text)).toBe('backchannel'));

  const interruptions = [
    'stop',
    'Wait.',
    'wait wait',
    'Hold on',
    'hang on a second',
    'Actually, I wanted the other one',
    'Excuse me?',
    'Sorry, how many bedrooms?',
    'no no',
    'No, no, that’s not it.',
    'okay wait',
    'Yeah, actually',
    'uh, sorry',
    'Stop, please.',
  ];
  for (const text of interruptions)
    it(`interruption: ${JSON.stringify(text)}`, () => expect(classifySpeech(text)).toBe('interruption'));

  const speech = [
    'How many bedrooms?',
    'no',
    'Tuesday at three',
    'yeah but how much is it',
    'Okay, and the price?',
    'I want to see it',
    'Can you text me the address?',
    'okay okay okay okay okay okay',
  ];
  for (const text of speech) it(`speech: ${JSON.stringify(text)}`, () => expect(classifySpeech(text)).toBe('speech'));

  it('empty: nothing, or hesitation only', () => {
    for (const text of ['', '   ', '...', 'uh', 'Um, uh…', 'hm']) expect(classifySpeech(text)).toBe('empty');
  });

  it('backchannel_prefix: a word that may start a backchannel ("got" → "got it", "I" → "I see")', () => {
    expect(classifySpeech('got')).toBe('backchannel_prefix');
    expect(classifySpeech('I')).toBe('backchannel_prefix');
    expect(classifySpeech('okay, sounds')).toBe('backchannel_prefix');
    expect(classifySpeech('got me')).toBe('speech');
  });

  it('uses the rules it is given', () => {
    const rules = { ...DEFAULT_BARGE_IN_RULES, backchannels: ['cool beans'], interruptions: ['whoa'] };
    expect(classifySpeech('cool beans', rules)).toBe('backchannel');
    expect(classifySpeech('okay', rules)).toBe('speech');
    expect(classifySpeech('whoa there', rules)).toBe('interruption');
    expect(classifySpeech('stop', rules)).toBe('speech');
  });
});

describe('BargeInDetector', () => {
  it('an interruption phrase interrupts on the first partial that shows it, whatever the duration', () => {
    const d = new BargeInDetector();
    expect(audio(d, 60)).toEqual(WAIT);
    expect(d.speechStarted()).toEqual(WAIT);
    expect(d.partial('wait')).toEqual({ interrupt: true, trigger: 'interruption_phrase' });
  });

  it('a backchannel does not interrupt and, as the final, is not a turn', () => {
    const d = new BargeInDetector();
    audio(d, 60);
    expect(d.speechStarted()).toEqual(WAIT);
    expect(audio(d, 240)).toEqual(WAIT);
    expect(d.partial('uh-huh')).toEqual(WAIT);
    // Even past minSpeechMs of voiced audio: the words say it is a backchannel.
    expect(audio(d, 400)).toEqual(WAIT);
    expect(audio(d, 300, false)).toEqual(WAIT);
    d.speechStopped();
    expect(d.final('Uh-huh.')).toEqual({ deliver: false, verdict: WAIT });
  });

  it('other words interrupt at once, on a partial', () => {
    const d = new BargeInDetector();
    audio(d, 60);
    d.speechStarted();
    expect(d.partial('how')).toEqual({ interrupt: true, trigger: 'words' });
  });

  it('waits on a possible backchannel start, then decides on the next word', () => {
    const d = new BargeInDetector();
    audio(d, 60);
    d.speechStarted();
    expect(d.partial('got')).toEqual(WAIT);
    expect(d.partial('got it')).toEqual(WAIT);
    expect(d.partial('got it but')).toEqual({ interrupt: true, trigger: 'words' });
  });

  it('a backchannel that goes on past maxBackchannelMs interrupts', () => {
    const d = new BargeInDetector({ maxBackchannelMs: 1000 });
    audio(d, 60);
    d.speechStarted();
    d.partial('okay');
    expect(audio(d, 900)).toEqual(WAIT);
    expect(audio(d, 60)).toEqual({ interrupt: true, trigger: 'duration' });
  });

  it('noise: speech activity without words and with little voiced audio never interrupts nor delivers', () => {
    const d = new BargeInDetector();
    audio(d, 60);
    expect(d.speechStarted()).toEqual(WAIT);
    expect(audio(d, 100)).toEqual(WAIT);
    expect(audio(d, 600, false)).toEqual(WAIT);
    d.speechStopped();
    expect(d.final('')).toEqual({ deliver: false, verdict: WAIT });
  });

  it('wordless speech interrupts once minSpeechMs of it is voiced (recognizers without early partials)', () => {
    const d = new BargeInDetector({ minSpeechMs: 500 });
    audio(d, 60);
    d.speechStarted();
    expect(audio(d, 420)).toEqual(WAIT);
    expect(audio(d, 20)).toEqual({ interrupt: true, trigger: 'duration' });
  });

  it('counts the voiced audio that led up to a late speechStarted (a vendor VAD over the network)', () => {
    const d = new BargeInDetector({ minSpeechMs: 500 });
    audio(d, 520);
    expect(d.speechStarted()).toEqual({ interrupt: true, trigger: 'duration' });
  });

  it('short pauses do not reset the voiced stretch; a long one does', () => {
    const d = new BargeInDetector({ minSpeechMs: 500, gapMs: 200 });
    audio(d, 200);
    audio(d, 100, false);
    audio(d, 200);
    expect(d.speechStarted()).toEqual(WAIT);
    expect(d.voiced).toBe(400);
    const e = new BargeInDetector({ minSpeechMs: 500, gapMs: 200 });
    audio(e, 300);
    audio(e, 200, false);
    audio(e, 100);
    e.speechStarted();
    expect(e.voiced).toBe(100);
  });

  it('audio outside an utterance never interrupts', () => {
    const d = new BargeInDetector({ minSpeechMs: 100 });
    expect(audio(d, 1000)).toEqual(WAIT);
  });

  it('finals: speech and interruptions are delivered and interrupt; backchannels and noise are dropped', () => {
    const d = new BargeInDetector();
    expect(d.final('How much is it?')).toEqual({ deliver: true, verdict: { interrupt: true, trigger: 'words' } });
    expect(d.final('no no')).toEqual({ deliver: true, verdict: { interrupt: true, trigger: 'interruption_phrase' } });
    expect(d.final('okay')).toEqual({ deliver: false, verdict: WAIT });
    expect(d.final('um')).toEqual({ deliver: false, verdict: WAIT });
  });

  it('a new utterance starts with no words: the last one’s backchannel does not carry over', () => {
    const d = new BargeInDetector({ minSpeechMs: 300 });
    audio(d, 60);
    d.speechStarted();
    d.partial('yeah');
    d.speechStopped();
    audio(d, 400, false);
    audio(d, 60);
    d.speechStarted();
    expect(audio(d, 240)).toEqual({ interrupt: true, trigger: 'duration' });
  });

  it('partials that come after speechStopped (OpenAI transcribes after the utterance) still decide', () => {
    const d = new BargeInDetector();
    audio(d, 60);
    d.speechStarted();
    audio(d, 200);
    d.speechStopped();
    expect(d.partial('uh-huh')).toEqual(WAIT);
    expect(d.partial('stop')).toEqual({ interrupt: true, trigger: 'interruption_phrase' });
  });

  it('IMMEDIATE_BARGE_IN interrupts on speechStarted', () => {
    const d = new BargeInDetector(IMMEDIATE_BARGE_IN);
    expect(d.speechStarted()).toEqual({ interrupt: true, trigger: 'speech_started' });
  });
});
