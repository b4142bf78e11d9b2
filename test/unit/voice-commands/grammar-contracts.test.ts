import { describe, it } from 'vitest';
import { BARE, expectCommand, expectQuestion, type CommandCase, type QuestionCase } from './grammar-expect.ts';

/** Contracts: readiness, suggestions, attaching, sending for signature, compliance. */

describe('phrasings of the brief', () => {
  it.each<CommandCase>([
    ['is property 5 ready to close?', 'contract_readiness', { property_id: 5 }],
    ['suggest contracts for property 5', 'suggest_contracts', { property_id: 5 }],
    [
      'send the purchase agreement for signing',
      'send_contract',
      { property_id: 7, contract_name: 'purchase agreement' },
    ],
  ])('"%s" → %s %j', expectCommand);
});

describe('missing or doubtful slots → a question, never a guess', () => {
  it.each<QuestionCase>([
    ['attach the required contracts', /Which contract should I attach to property 7/],
    ['attach the purchase agreement', /Which one: .*Purchase Agreement/],
  ])('"%s"', expectQuestion);

  it.each<QuestionCase>([['send the purchase agreement for signing', /Which property is the purchase agreement for/]])(
    'without context: "%s"',
    (text, question) => expectQuestion(text, question, BARE),
  );
});

describe('more phrasings', () => {
  it.each<CommandCase>([
    [
      'attach the florida purchase agreement',
      'attach_contract',
      { property_id: 7, template_key: 'fl_residential_purchase_agreement' },
    ],
    ['send contract 14 for signature', 'send_contract', { property_id: 7, contract_id: 14 }],
    ['check compliance on property 5 for a lease', 'check_compliance', { property_id: 5, transaction_type: 'lease' }],
  ])('"%s" → %s', expectCommand);
});

describe('phrasings heard while testing', () => {
  it.each<CommandCase>([
    ['send it for signing', 'send_contract', { property_id: 7 }],
    [
      "attach the seller's disclosure for texas",
      'attach_contract',
      { property_id: 7, template_key: 'tx_sellers_disclosure_notice' },
    ],
    [
      'attach a roof certification form to property 5 as optional',
      'attach_contract',
      { property_id: 5, name: 'Roof Certification Form', is_required: false },
    ],
  ])('"%s" → %s', expectCommand);
});
