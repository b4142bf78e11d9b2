import { describe, expect, it } from 'vitest';
import {
  extractBudget,
  extractMoney,
  extractName,
  extractPhone,
  extractPropertyRef,
  extractTimeline,
  extractYesNo,
} from '../../../src/voice/nlu/index.ts';

describe('extractPropertyRef', () => {
  it.each([
    ['the one on elm street', { kind: 'street', street: 'Elm St' }],
    ['the one on elm', { kind: 'street', street: 'Elm' }],
    ['one forty one elm', { kind: 'address', address: '141 Elm', houseNumber: '141' }],
    ['calling about one forty one elm street', { kind: 'address', address: '141 Elm St' }],
    ['is 200 west 42nd street apartment 4b available', { kind: 'address', address: '200 W 42nd St Apt 4B' }],
    ['property five', { kind: 'index', index: 5 }],
    ['listing number 12', { kind: 'index', index: 12 }],
  ])('%s', (text, expected) => {
    expect(extractPropertyRef(text)).toMatchObject(expected);
  });

  it.each(['how many bedrooms', 'tomorrow at 3', 'a three bedroom house', 'on tuesday'])('none in "%s"', (text) => {
    expect(extractPropertyRef(text)).toBeNull();
  });
});

describe('extractPhone', () => {
  it.each([
    ['my number is 512-555-0199', '+15125550199'],
    ['five one two five five five zero one nine nine', '+15125550199'],
    ['it is five one two, double five five, oh one nine nine', '+15125550199'],
    ['(415) 555 2671', '+14155552671'],
    ['+1 212 555 0147', '+12125550147'],
  ])('%s → %s', (text, e164) => {
    expect(extractPhone(text)).toBe(e164);
  });

  it.each(['call me at five five five', '141 elm street', 'one two three'])('none in "%s"', (text) => {
    expect(extractPhone(text)).toBeNull();
  });
});

describe('extractName', () => {
  it.each([
    ['my name is Jane Doe', 'Jane Doe'],
    ['this is jane', 'Jane'],
    ["hi it's bob o'neil calling", "Bob O'Neil"],
    ["i'm sarah from the open house", 'Sarah'],
    ['you can call me mary-ann', 'Mary-Ann'],
  ])('%s → %s', (text, name) => {
    expect(extractName(text)).toBe(name);
  });

  it.each(["i'm interested in the house", 'this is about the listing', "it's a nice house", "i'm looking to buy"])(
    'none in "%s"',
    (text) => {
      expect(extractName(text)).toBeNull();
    },
  );
});

describe('money, budget, timeline, yes/no', () => {
  it.each([
    ['850 thousand', 850000],
    ['$1.2 million', 1200000],
    ['eight hundred fifty k', 850000],
    ['half a million', 500000],
    ['offer 725000', 725000],
    ['at 3', null],
  ])('money %s → %s', (text, value) => {
    expect(extractMoney(text)).toBe(value);
  });

  it.each([
    ['between 400 and 500 thousand', { min: 400000, max: 500000 }],
    ['somewhere from $350k to $425k', { min: 350000, max: 425000 }],
    ['1 to 1.5 million', { min: 1000000, max: 1500000 }],
    ['up to 1.5 million', { min: null, max: 1500000 }],
    ['at least 300k', { min: 300000, max: null }],
    ['our budget is around 600 thousand', { min: null, max: 600000 }],
  ])('budget %s', (text, range) => {
    expect(extractBudget(text)).toEqual(range);
  });

  it.each([
    ['in the next 3 months', 3, 'soon'],
    ['within six months', 6, 'later'],
    ['in a couple of weeks', 0.5, 'soon'],
    ['asap', 0, 'immediate'],
    ['sometime in the next year', 12, 'later'],
    ['just browsing', null, 'undecided'],
  ])('timeline %s', (text, months, urgency) => {
    expect(extractTimeline(text)).toMatchObject({ months, urgency });
  });

  it.each([
    ['yes', true],
    ['Yeah, sure.', true],
    ['um okay', true],
    ['no thanks', false],
    ['nope', false],
    ['maybe', null],
  ])('yes/no %s → %s', (text, value) => {
    expect(extractYesNo(text)).toBe(value);
  });
});
