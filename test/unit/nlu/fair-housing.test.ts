import { describe, expect, it } from 'vitest';
import { classifyUtterance, detectFairHousing } from '../../../src/voice/nlu/index.ts';

const ctx = { now: new Date('2026-06-10T13:00:00Z'), timeZone: 'America/New_York' };

const POSITIVE = [
  "what's the racial makeup of the schools",
  'what kind of people live there',
  'is it a safe area',
  'is the neighborhood safe at night',
  'what are the demographics of the neighborhood',
  'are there a lot of hispanic families on that street',
  'is it mostly white people around there',
  'how much crime is there',
  'is it a jewish area',
  'are there many kids in the neighborhood',
  'is it a family friendly neighborhood',
  'are the neighbors mostly christian',
  'what religion are most people in the area',
  'are there a lot of immigrants nearby',
  'is it a good neighborhood',
  'who lives on that block',
  'is the school district very diverse',
];

const NEGATIVE = [
  'how are the schools',
  'what school district is it in',
  'is there a park nearby',
  'how far is it from the train station',
  'how many bedrooms does it have',
  'is there a family room',
  'my family of four needs three bedrooms',
  'is it close to a church',
  'what are the hoa fees',
  'is the house still available',
  'can i see it tomorrow at 3',
  'does it have a white picket fence',
  'is it safe to make an offer today',
  'how old is the roof',
];

describe('detectFairHousing', () => {
  it.each(POSITIVE)('flags "%s"', (text) => {
    expect(detectFairHousing(text).isFairHousing).toBe(true);
    expect(classifyUtterance(text, ctx).intent).toBe('fair_housing_question');
  });

  it.each(NEGATIVE)('does not flag "%s"', (text) => {
    expect(detectFairHousing(text).isFairHousing).toBe(false);
    expect(classifyUtterance(text, ctx).intent).not.toBe('fair_housing_question');
  });

  it('explains which rule fired', () => {
    expect(detectFairHousing('what are the demographics').reasons).toContain('demographics');
  });
});
