import { describe, it } from 'vitest';
import { BARE, expectCommand, expectQuestion, type CommandCase, type QuestionCase } from './grammar-expect.ts';

/** Notes and contacts on a property. */

describe('phrasings of the brief', () => {
  it.each<CommandCase>([
    [
      'add a note to the Elm street one: seller wants to close before June',
      'add_note',
      { property: 'Elm St', content: 'Seller wants to close before June' },
    ],
  ])('"%s" → %s %j', expectCommand);
});

describe('missing or doubtful slots → a question, never a guess', () => {
  it.each<QuestionCase>([
    ['add a note to property 5', /What should the note say/],
    ['add a lender to property 5', /lender's name/],
  ])('"%s"', expectQuestion);

  it.each<QuestionCase>([['add a note: the seller wants to close before June', /Which property/]])(
    'without context: "%s"',
    (text, question) => expectQuestion(text, question, BARE),
  );
});

describe('more phrasings', () => {
  it.each<CommandCase>([
    ['note that the buyer is pre-approved', 'add_note', { property_id: 7, content: 'The buyer is pre-approved' }],
    [
      'add the lender Jane Doe to property 5, her number is 512 555 0199',
      'add_contact',
      { property_id: 5, name: 'Jane Doe', role: 'lender', phone: '+15125550199' },
    ],
  ])('"%s" → %s', expectCommand);
});

describe('phrasings heard while testing', () => {
  it.each<CommandCase>([
    [
      "note for property 12: buyer's agent called, wants a second showing",
      'add_note',
      { property_id: 12, content: "Buyer's agent called, wants a second showing" },
    ],
    [
      'jot down a note on this one - sellers are divorcing',
      'add_note',
      { property_id: 7, content: 'Sellers are divorcing' },
    ],
    [
      'add note to 141 elm street saying the roof is new',
      'add_note',
      { property: '141 Elm St', content: 'The roof is new' },
    ],
    ['add a note on property five seller is motivated', 'add_note', { property_id: 5, content: 'Seller is motivated' }],
    [
      'add the seller, Mary Smith, to property 5',
      'add_contact',
      { property_id: 5, name: 'Mary Smith', role: 'seller' },
    ],
  ])('"%s" → %s', expectCommand);

  it.each<QuestionCase>([['add a contact to property 5', /Who should I add/]])('"%s" asks', expectQuestion);
});
