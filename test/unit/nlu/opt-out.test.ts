import { describe, expect, it } from 'vitest';
import { detectOptOut } from '../../../src/voice/nlu/opt-out.ts';

/** The person revokes consent to be called: a campaign call must opt them out at once. */
const OPT_OUT = [
  'stop',
  'Stop calling me',
  "please don't call me again",
  'do not call this number',
  'take me off your list',
  'remove me',
  'unsubscribe',
  'put me on your do not call list',
  'no more calls please',
  'never call me again',
  'don’t call me again', // a curly apostrophe, as speech-to-text writes it
  'quit calling me',
  'take my number off your list',
  'please stop calling me, I am at the bus stop',
  'stop by and stop calling me',
];

/** "Stop" and "call" in ordinary talk, and plain answers: the call goes on. */
const NOT_OPT_OUT = [
  'can you stop by the house tomorrow',
  "I'm at the bus stop",
  'yes please',
  'tell me more',
  'call me back tomorrow',
  "I don't know",
  'one stop shop',
];

describe('detectOptOut', () => {
  it.each(OPT_OUT)('"%s" is an opt-out', (text) => {
    expect(detectOptOut(text)).toBe(true);
  });

  it.each(NOT_OPT_OUT)('"%s" is not an opt-out', (text) => {
    expect(detectOptOut(text)).toBe(false);
  });

  it('ignores case and surrounding punctuation', () => {
    expect(detectOptOut('STOP!')).toBe(true);
    expect(detectOptOut('Please, remove me.')).toBe(true);
    expect(detectOptOut('Unsubscribe?')).toBe(true);
  });

  it('does not match inside other words', () => {
    expect(detectOptOut('the stoplight on Main')).toBe(false);
    expect(detectOptOut('a nonstop flight')).toBe(false);
  });
});
