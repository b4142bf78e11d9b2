import { describe, expect, it } from 'vitest';
import {
  commandOf,
  expectCommand,
  expectQuestion,
  questionOf,
  type CommandCase,
  type QuestionCase,
} from './grammar-expect.ts';

/** The property commands: create, update (price, status, rooms), search, look up, heartbeat, history, delete. */

describe('phrasings of the brief', () => {
  it.each<CommandCase>([
    [
      'create a property at 123 Main St in Austin, Texas for 850 thousand, 3 beds 2 baths',
      'create_property',
      { address: '123 Main St', city: 'Austin', state: 'TX', price: 850000, bedrooms: 3, bathrooms: 2 },
    ],
    ['change the price of property 5 to 799 thousand', 'update_property', { property_id: 5, price: 799000 }],
    ['set property 5 to under contract', 'update_property', { property_id: 5, status: 'waiting_for_contracts' }],
    [
      'show me condos under 500k in Miami',
      'list_properties',
      { property_type: 'condo', max_price: 500000, city: 'Miami' },
    ],
    ['how is property 5 doing', 'property_heartbeat', { property_id: 5 }],
    ['what have we done on property 5?', 'property_history', { property_id: 5 }],
  ])('"%s" → %s %j', expectCommand);

  it('reads a create back with the price and the rooms', () => {
    expect(commandOf('Create a property at 123 Main St, Miami, FL for $850,000, 3 beds and 2 baths').readBack).toBe(
      'Create a property at 123 Main St, Miami, FL for $850,000 with 3 beds and 2 baths?',
    );
  });

  it('asks for the city and state the create tool needs', () => {
    expect(questionOf('create a property at 123 Main St for 850 thousand, 3 beds 2 baths')).toBe(
      'Which city and state is 123 Main St in?',
    );
    expect(questionOf('create a property at 123 Main St in Miami for 850 thousand')).toBe('Which state is Miami in?');
  });

  it('remembers the property a command is about', () => {
    expect(commandOf('how is property 5 doing').propertyId).toBe(5);
    expect(commandOf('how is it doing').propertyId).toBe(7);
    expect(commandOf("how's my portfolio doing?").propertyId).toBeUndefined();
  });
});

describe('numbers said as words or digits', () => {
  it.each([
    'change the price of property 5 to 799 thousand',
    'change the price of property five to seven ninety nine thousand',
    'change the price of property number 5 to $799k',
    'Change the price of property #5 to $799,000.',
    'change the price of property five to seven hundred ninety nine thousand dollars',
    'change the price of number five to 799000',
  ])('%s', (text) => {
    expect(commandOf(text).args).toEqual({ property_id: 5, price: 799000 });
  });

  it.each([
    ['create a property at 123 main street in Austin Texas for eight fifty thousand, three beds, two baths', 850000],
    ['CREATE A PROPERTY AT 123 MAIN ST IN AUSTIN TX FOR $850K 3 BEDS 2 BATHS', 850000],
    [
      'create a property at one twenty three main street in austin texas for 850 thousand three bedrooms two bathrooms',
      850000,
    ],
    ['create a property at 123 Main St in Austin, Texas for 1.2 million, 3 beds 2 baths', 1200000],
  ])('%s', (text, price) => {
    expect(commandOf(text).args).toMatchObject({ address: '123 Main St', price, bedrooms: 3, bathrooms: 2 });
  });

  it('reads half baths, square feet and the kind of property', () => {
    expect(
      commandOf(
        'add a new condo at 45 Ocean Drive, Miami Beach, FL 33139 for 1.2 million, 2 bedrooms, 2 and a half baths, 1400 square feet',
      ).args,
    ).toEqual({
      address: '45 Ocean Dr',
      city: 'Miami Beach',
      state: 'FL',
      zip_code: '33139',
      price: 1200000,
      bedrooms: 2,
      bathrooms: 2.5,
      square_feet: 1400,
      property_type: 'condo',
    });
  });

  it('reads price ranges and bedrooms in a search', () => {
    expect(commandOf('show me 3 bedroom houses between 400 and 500k in Tampa').args).toEqual({
      property_type: 'house',
      bedrooms: 3,
      min_price: 400000,
      max_price: 500000,
      city: 'Tampa',
    });
    expect(commandOf('list my properties over $1 million').args).toEqual({ min_price: 1000000 });
    // The city before the price bound is kept.
    expect(commandOf('show me condos in Austin under 500k').args).toEqual({
      property_type: 'condo',
      max_price: 500000,
      city: 'Austin',
    });
  });
});

describe('missing or doubtful slots → a question, never a guess', () => {
  it.each<QuestionCase>([
    ['create a property', /street address/],
    ['create a property on Elm Street', /house number on Elm St/],
    ['change the price of property 5', /new price/],
    ['drop the price of property 5 by 20k', /new price/],
    ['change the price of property 5 to 799 or 800 thousand', /\$799,000 or \$800,000/],
    ['set property 5 to a different status', /Which stage/],
    ['delete', /Which property should I delete/],
    ['delete the note', /only delete properties/],
  ])('"%s"', expectQuestion);
});

describe('more phrasings', () => {
  it.each<CommandCase>([
    ['mark property 5 as sold', 'update_property', { property_id: 5, status: 'complete' }],
    ['move it to the researched stage', 'update_property', { property_id: 7, status: 'researched' }],
    ['change property 5 to 4 beds', 'update_property', { property_id: 5, bedrooms: 4 }],
    ['delete property 12', 'delete_property', { property_id: 12, confirm: true }],
    ['tell me about 141 Elm Street', 'get_property', { property: '141 Elm St' }],
  ])('"%s" → %s', expectCommand);
});

describe('phrasings heard while testing', () => {
  it.each<CommandCase>([
    ['mark it closed', 'update_property', { property_id: 7, status: 'complete' }],
    ['put property 5 under contract', 'update_property', { property_id: 5, status: 'waiting_for_contracts' }],
    ['list property 5 at 799k', 'update_property', { property_id: 5, price: 799000 }],
    ['reduce the price on elm street to 775', 'update_property', { property: 'Elm St', price: 775000 }],
    ['what about property 5', 'get_property', { property_id: 5 }],
    ['how much is it', 'get_property', { property_id: 7 }],
    ['where are we with the Smith deal', 'property_heartbeat', { property: 'Smith' }],
    ['how is one forty one elm street doing', 'property_heartbeat', { property: '141 Elm St' }],
    [
      'what condos do I have in Miami Beach Florida under 900k',
      'list_properties',
      { property_type: 'condo', max_price: 900000, city: 'Miami Beach' },
    ],
    ['show me everything under 1.2 million', 'list_properties', { max_price: 1200000 }],
    [
      'I have a new listing at 9 Pine Ln in Denver Colorado for 650k',
      'create_property',
      { address: '9 Pine Ln', city: 'Denver', state: 'CO', price: 650000 },
    ],
    ['delete 141 elm street permanently', 'delete_property', { property: '141 Elm St', confirm: true }],
  ])('"%s" → %s', expectCommand);

  it.each<QuestionCase>([
    ['change the price of the property at 835 or 840 elm street', /\$835,000 or \$840,000/],
    ['remove the lead paint disclosure from property 5', /only delete properties/],
  ])('"%s" asks', expectQuestion);
});
