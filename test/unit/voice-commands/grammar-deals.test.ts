import { describe, expect, it } from 'vitest';
import {
  BARE,
  commandOf,
  expectCommand,
  expectQuestion,
  questionOf,
  type CommandCase,
  type QuestionCase,
} from './grammar-expect.ts';

/** Offers (record, respond, counter, analyse) and a deal's numbers: value, comps, score, MAO, prediction, next action. */

describe('phrasings of the brief', () => {
  it.each<CommandCase>([
    ['predict the outcome for property 5', 'predict_closing', { property_id: 5 }],
    ['what should I do next with property 5?', 'next_action', { property_id: 5 }],
    ['score property 5', 'score_property', { property_id: 5 }],
    ["what's property 5 worth", 'value_property', { property_id: 5 }],
    ['comps for property 5', 'get_comps', { property_id: 5 }],
    ["what's the MAO on property 5 as a flip?", 'calculate_mao', { property_id: 5 }],
    ['Score property five', 'score_property', { property_id: 5 }],
  ])('"%s" → %s %j', expectCommand);
});

describe('numbers said as words or digits', () => {
  it('finds an offer by its buyer, or the only open one, on the property of the conversation (the tool picks it)', () => {
    expect(commandOf('accept the offer from John')).toMatchObject({
      args: { property_id: 7, action: 'accept', buyer: 'John' },
      readBack: "Accept John's offer on property 7? Competing offers will be rejected.",
    });
    expect(commandOf('accept the offer').args).toEqual({ property_id: 7, action: 'accept' });
    expect(commandOf('counter at 835')).toMatchObject({
      args: { property_id: 7, action: 'counter', counter_price: 835000 },
      readBack: 'Counter the open offer on property 7 at $835,000?',
    });
    expect(commandOf('turn down the offer from the Johnsons').args).toMatchObject({
      action: 'reject',
      buyer: 'Johnsons',
    });
    expect(commandOf('accept the offer from John on property 5').args).toMatchObject({ property_id: 5, buyer: 'John' });
    // No property named and none in the conversation: a question.
    expect(questionOf('accept the offer from John', BARE)).toMatch(
      /Which offer should I accept\? Tell me the offer number or the property/,
    );
    expect(questionOf('counter at 835', BARE)).toMatch(/Which offer should I counter at \$835,000/);
    expect(questionOf('counter the offer')).toMatch(/What price should I counter with/);
  });

  it('reads "counter at 835" as $835,000', () => {
    expect(commandOf('counter offer 12 at 835').args).toEqual({
      offer_id: 12,
      action: 'counter',
      counter_price: 835000,
    });
    expect(commandOf('counter offer number twelve at eight thirty five').args).toMatchObject({ counter_price: 835000 });
    expect(commandOf('counter offer 12 with $835k').args).toMatchObject({ counter_price: 835000 });
  });
});

describe('missing or doubtful slots → a question, never a guess', () => {
  it.each<QuestionCase>([
    ['counter offer 4', /What price should I counter offer 4 with/],
    ['counter offer 4 at 8', /What price/],
    ['we got an offer on property 5', /How much is the offer/],
  ])('"%s"', expectQuestion);
});

describe('more phrasings', () => {
  it.each<CommandCase>([
    ['what are the chances property 5 closes', 'predict_closing', { property_id: 5 }],
    [
      'what is the max allowable offer on property 5 with heavy rehab',
      'calculate_mao',
      { property_id: 5, rehab_tier: 'heavy' },
    ],
    ['reject offer number three', 'respond_to_offer', { offer_id: 3, action: 'reject' }],
    ['accept offer 12', 'respond_to_offer', { offer_id: 12, action: 'accept' }],
    [
      'should I accept an offer of 790k on property 5 from a strong buyer',
      'analyze_offer',
      { property_id: 5, offer_price: 790000, buyer_strength: 'strong' },
    ],
  ])('"%s" → %s', expectCommand);
});

describe('phrasings heard while testing', () => {
  it.each<CommandCase>([
    ["what's property 5's score", 'score_property', { property_id: 5 }],
    [
      'we received an offer on 141 elm street for 790 thousand with inspection and financing contingencies, FHA',
      'record_offer',
      {
        property: '141 Elm St',
        offer_price: 790000,
        financing_type: 'fha',
        contingencies: ['inspection', 'financing'],
      },
    ],
    ['put in an offer of 800k on property 5', 'record_offer', { property_id: 5, offer_price: 800000 }],
    ['decline offer 7', 'respond_to_offer', { offer_id: 7, action: 'reject' }],
  ])('"%s" → %s', expectCommand);

  it.each<QuestionCase>([['counter offer 3 at 835 or 840', /\$835,000 or \$840,000/]])('"%s" asks', expectQuestion);
});
