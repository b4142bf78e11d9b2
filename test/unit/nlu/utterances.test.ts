import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyUtterance, INTENTS, type Intent, type Slots } from '../../../src/voice/nlu/index.ts';

// Wednesday 2026-06-10 09:00 in New York.
const ctx = { now: new Date('2026-06-10T13:00:00Z'), timeZone: 'America/New_York' };

type Row = [string, Intent, Partial<Slots>?];

const TABLE: Row[] = [
  ['Hi there', 'greeting'],
  ['hello i saw your sign', 'property_inquiry'],
  ['good morning', 'greeting'],
  [
    'how much is the house on elm street',
    'property_inquiry',
    { property: { kind: 'street', text: 'elm street', street: 'Elm St' } },
  ],
  ['what is the asking price for 141 Elm Street', 'property_inquiry', { inquiryTopics: ['price'] }],
  ['how many bedrooms does one forty one elm have', 'property_inquiry', { inquiryTopics: ['beds'] }],
  ['how many bathrooms', 'property_inquiry', { inquiryTopics: ['baths'] }],
  ['whats the square footage', 'property_inquiry', { inquiryTopics: ['sqft'] }],
  ['is the one on maple still available', 'property_inquiry', { inquiryTopics: ['availability'] }],
  ['Is 22 Oak Lane still on the market?', 'property_inquiry', { inquiryTopics: ['availability'] }],
  [
    'can you tell me more about property five',
    'property_inquiry',
    { property: { kind: 'index', text: 'property five', index: 5 } },
  ],
  ['does it have a garage', 'property_inquiry'],
  ['how big is the lot size', 'property_inquiry'],
  ['im calling about the listing on 5th avenue', 'property_inquiry'],
  ['how does the price compare to other homes in the area', 'price_comparison'],
  ['is it overpriced', 'price_comparison'],
  ['what are the comps for that one', 'price_comparison'],
  ['is that a fair price for the neighborhood', 'price_comparison'],
  [
    'can i see it tomorrow at 3',
    'schedule_viewing',
    {
      time: {
        start: '2026-06-11T15:00:00-04:00',
        end: '2026-06-11T15:00:00-04:00',
        certainty: 'exact',
        text: 'tomorrow at 3',
      },
    },
  ],
  ['i would like to schedule a showing next tuesday morning', 'schedule_viewing'],
  ['Can we tour it Friday at 10:30 am?', 'schedule_viewing'],
  ['could i come by the 12th at noon', 'schedule_viewing'],
  ['id love to view one forty one elm street this weekend', 'schedule_viewing'],
  ['book me a viewing for saturday afternoon', 'schedule_viewing'],
  ['is there an open house', 'schedule_viewing'],
  ['can i leave a message for sarah', 'take_message'],
  [
    'please have her call me back at five one two five five five zero one nine nine',
    'take_message',
    { phone: '+15125550199' },
  ],
  ['tell him jane called about the condo', 'take_message'],
  ['my number is 512-555-0199', 'take_message', { phone: '+15125550199' }],
  ['i want to make an offer on 141 elm', 'make_offer'],
  ['we would like to put in an offer of 850 thousand', 'make_offer', { money: 850000 }],
  ['would the sellers take $1.2 million', 'make_offer', { money: 1200000 }],
  ['i can pay four hundred fifty thousand cash', 'make_offer', { money: 450000 }],
  ['can i speak to the agent', 'speak_to_agent'],
  ['i need to talk to a real person', 'speak_to_agent'],
  ['transfer me please', 'speak_to_agent'],
  ['is sarah there', 'unknown'],
  ['we are looking to buy', 'qualification_answer', { transactionType: 'buying' }],
  ["we're selling our house", 'qualification_answer', { transactionType: 'selling' }],
  ['looking for a rental', 'qualification_answer', { transactionType: 'renting' }],
  ['yes we are pre approved with chase', 'qualification_answer', { preApproved: true, lender: 'Chase' }],
  ["no we haven't been pre-approved yet", 'qualification_answer', { preApproved: false }],
  ['our lender is first national bank', 'qualification_answer', { lender: 'First National Bank' }],
  [
    'we want to move in the next 3 months',
    'qualification_answer',
    { timeline: { text: 'in the next 3 months', months: 3, urgency: 'soon' } },
  ],
  ['within six months probably', 'qualification_answer'],
  ['our budget is between 400 and 500 thousand', 'qualification_answer', { budget: { min: 400000, max: 500000 } }],
  ['we can afford up to 1.5 million', 'qualification_answer', { budget: { min: null, max: 1500000 } }],
  ["we don't have an agent", 'qualification_answer', { hasAgent: false }],
  ["i'm already working with a realtor", 'qualification_answer', { hasAgent: true }],
  ['yes', 'yes', { affirmative: true }],
  ['yeah sure', 'yes'],
  ['sounds good', 'yes'],
  ['no', 'no', { affirmative: false }],
  ['nope not really', 'no'],
  ['thanks bye', 'goodbye'],
  ["that's all have a good day", 'goodbye'],
  ['thank you', 'goodbye'],
  ['sorry can you repeat that', 'repeat'],
  ['huh', 'repeat'],
  ["i didn't catch that", 'repeat'],
  ['what kind of people live there', 'fair_housing_question'],
  ['is it a safe area', 'fair_housing_question'],
  ['the weather is nice', 'unknown'],
  ['purple monkey dishwasher', 'unknown'],
  ['my name is jane doe', 'greeting', { name: 'Jane Doe' }],
  ['hi this is bob smith calling about the house on oak street', 'property_inquiry', { name: 'Bob Smith' }],
];

describe('classifyUtterance: caller utterance table', () => {
  it.each(TABLE)('%s → %s', (utterance, intent, slots) => {
    const result = classifyUtterance(utterance, ctx);
    expect(result.intent).toBe(intent);
    expect(result.confidence).toBeGreaterThanOrEqual(0);
    expect(result.confidence).toBeLessThanOrEqual(1);
    if (slots) expect(result.slots).toMatchObject(slots);
  });

  it('is accurate on at least 95% of the table', () => {
    const hits = TABLE.filter(([u, intent]) => classifyUtterance(u, ctx).intent === intent).length;
    expect(TABLE.length).toBeGreaterThanOrEqual(60);
    expect(hits / TABLE.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('classifyUtterance: robustness', () => {
  it('never throws and always returns a known intent with confidence in 0..1', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = classifyUtterance(s, ctx);
        expect(INTENTS).toContain(r.intent);
        expect(r.confidence).toBeGreaterThanOrEqual(0);
        expect(r.confidence).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on word salad built from the rule vocabulary', () => {
    const vocab = [
      'one',
      'forty',
      'elm',
      'street',
      'at',
      'the',
      '12th',
      'noon',
      'between',
      'and',
      'thousand',
      '$',
      'next',
      'tuesday',
      'million',
      'property',
      'five',
      'my',
      'name',
      'is',
      'oh',
      'double',
      'apt',
      '#',
      'half',
      'point',
      'to',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...vocab), { maxLength: 20 }), (words) => {
        expect(() => classifyUtterance(words.join(' '), ctx)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});
