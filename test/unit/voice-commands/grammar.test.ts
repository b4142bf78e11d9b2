import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  COMMAND_EXAMPLES,
  parseCommand,
  type CommandContext,
  type CommandParse,
} from '../../../src/voice/commands/grammar.ts';

// ---------------------------------------------------------------- the real tool schemas

interface ToolLike {
  name: string;
  input: { safeParse(v: unknown): { success: boolean; error?: unknown } };
}

const isTool = (v: unknown): v is ToolLike =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ToolLike).name === 'string' &&
  typeof (v as ToolLike).input?.safeParse === 'function';

/** The tool modules there were when the grammar was written; each must load. */
const KNOWN_MODULES = new Set([
  'contract.tools.ts',
  'crm.tools.ts',
  'insights.tools.ts',
  'offer.tools.ts',
  'pipeline.tools.ts',
  'property.tools.ts',
  'reception.tools.ts',
  'showing.tools.ts',
  'valuation.tools.ts',
]);

/** Every tool exported by src/tools/*.tools.ts (the campaign tools too, once their module is there). */
async function loadTools(): Promise<Map<string, ToolLike>> {
  const dir = join(import.meta.dirname, '..', '..', '..', 'src', 'tools');
  const tools = new Map<string, ToolLike>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tools.ts'))) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    } catch (err) {
      // A module being written right now may not load yet; the known ones must.
      if (KNOWN_MODULES.has(file)) throw err;
      continue;
    }
    for (const value of Object.values(mod)) {
      for (const v of Array.isArray(value) ? value : [value]) if (isTool(v)) tools.set(v.name, v);
    }
  }
  return tools;
}

const TOOLS = await loadTools();

/** The campaign tools' inputs as agreed, for as long as their module is not in src/tools yet. */
const CAMPAIGN_INPUTS: Record<string, ToolLike['input']> = {
  start_campaign: z.strictObject({
    property_id: z.number().int().positive().optional(),
    purpose: z
      .enum([
        'just_listed',
        'just_sold',
        'expired_follow_up',
        'fsbo_follow_up',
        'open_house_rsvp',
        'past_client_check_in',
        'property_update',
      ])
      .optional(),
    campaign_id: z.number().int().positive().optional(),
  }),
  pause_campaign: z.strictObject({ campaign_id: z.number().int().positive().optional() }),
  campaign_status: z.strictObject({ campaign_id: z.number().int().positive().optional() }),
};

function inputOf(tool: string): ToolLike['input'] {
  const input = TOOLS.get(tool)?.input ?? CAMPAIGN_INPUTS[tool];
  if (!input) throw new Error(`the grammar called ${tool}, which no tool defines`);
  return input;
}

// ---------------------------------------------------------------- helpers

/** Tuesday 3 June 2025, 10:00 in New York. */
const NOW = new Date('2025-06-03T14:00:00Z');
const CTX: CommandContext = { now: NOW, timeZone: 'America/New_York', lastPropertyId: 7, lastCampaignId: 3 };
const BARE: CommandContext = { ...CTX, lastPropertyId: null, lastCampaignId: null };

type Command = Extract<CommandParse, { kind: 'command' }>;

function expectValid(parsed: CommandParse): asserts parsed is Command {
  expect(parsed.kind).toBe('command');
  const cmd = parsed as Command;
  const result = inputOf(cmd.tool).safeParse(cmd.args);
  expect(result.success, `${cmd.tool} ${JSON.stringify(cmd.args)}: ${JSON.stringify(result.error)}`).toBe(true);
  expect(cmd.readBack.length).toBeGreaterThan(5);
}

function commandOf(text: string, ctx: CommandContext = CTX): Command {
  const parsed = parseCommand(text, ctx);
  expect(parsed.kind, `${text} → ${JSON.stringify(parsed)}`).toBe('command');
  expectValid(parsed);
  return parsed;
}

function questionOf(text: string, ctx: CommandContext = CTX): string {
  const parsed = parseCommand(text, ctx);
  expect(parsed.kind, `${text} → ${JSON.stringify(parsed)}`).toBe('clarify');
  return (parsed as Extract<CommandParse, { kind: 'clarify' }>).question;
}

// ---------------------------------------------------------------- tests

describe('COMMAND_EXAMPLES', () => {
  it('has at least one phrasing per family', () => {
    const tools = new Set(COMMAND_EXAMPLES.map((e) => e.tool));
    for (const t of [
      'create_property',
      'update_property',
      'list_properties',
      'property_heartbeat',
      'add_note',
      'property_history',
      'contract_readiness',
      'suggest_contracts',
      'send_contract',
      'attach_contract',
      'predict_closing',
      'next_action',
      'score_property',
      'value_property',
      'get_comps',
      'calculate_mao',
      'respond_to_offer',
      'daily_digest',
      'follow_up_queue',
      'snooze_follow_up',
      'create_task',
      'start_campaign',
      'pause_campaign',
      'campaign_status',
    ])
      expect(tools, t).toContain(t);
  });

  it.each(COMMAND_EXAMPLES.map((e) => [e.says, e.tool]))('"%s" → %s', (says, tool) => {
    expect(commandOf(says).tool).toBe(tool);
  });
});

describe('phrasings of the brief', () => {
  it.each<[string, string, Record<string, unknown>, CommandContext?]>([
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
    [
      'add a note to the Elm street one: seller wants to close before June',
      'add_note',
      { property: 'Elm St', content: 'Seller wants to close before June' },
    ],
    ['what have we done on property 5?', 'property_history', { property_id: 5 }],
    ['is property 5 ready to close?', 'contract_readiness', { property_id: 5 }],
    ['suggest contracts for property 5', 'suggest_contracts', { property_id: 5 }],
    [
      'send the purchase agreement for signing',
      'send_contract',
      { property_id: 7, contract_name: 'purchase agreement' },
    ],
    ['predict the outcome for property 5', 'predict_closing', { property_id: 5 }],
    ['what should I do next with property 5?', 'next_action', { property_id: 5 }],
    ['score property 5', 'score_property', { property_id: 5 }],
    ["what's property 5 worth", 'value_property', { property_id: 5 }],
    ['comps for property 5', 'get_comps', { property_id: 5 }],
    ["what's the MAO on property 5 as a flip?", 'calculate_mao', { property_id: 5 }],
    ["how's my portfolio doing?", 'daily_digest', {}],
    ['what needs attention?', 'daily_digest', {}],
    ['read me my follow-up queue', 'follow_up_queue', {}],
    ['snooze property 8 for three days', 'snooze_follow_up', { property_id: 8, hours: 72 }],
    ["read me today's digest", 'daily_digest', {}],
    [
      'remind me tomorrow at 9 to call the lender',
      'create_task',
      { title: 'Call the lender', due_at: '2025-06-04T09:00:00-04:00' },
    ],
    ['start the just-listed campaign for property 5', 'start_campaign', { property_id: 5, purpose: 'just_listed' }],
    ['pause it', 'pause_campaign', { campaign_id: 3 }],
    ['pause the campaign', 'pause_campaign', { campaign_id: 3 }],
    ['how is the campaign doing?', 'campaign_status', { campaign_id: 3 }],
    ['how is the campaign doing?', 'campaign_status', {}, BARE],
    ['Score property five', 'score_property', { property_id: 5 }],
  ])('"%s" → %s %j', (text, tool, args, ctx) => {
    const cmd = commandOf(text, ctx ?? CTX);
    expect(cmd.tool).toBe(tool);
    expect(cmd.args).toEqual(args);
  });

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

  it('reads durations', () => {
    expect(commandOf('snooze property 8 for a week').args).toEqual({ property_id: 8, hours: 168 });
    expect(commandOf('snooze it for a couple of days').args).toEqual({ property_id: 7, hours: 48 });
    expect(commandOf('snooze property eight').args).toEqual({ property_id: 8 });
    expect(commandOf('snooze property 8 until friday').args).toEqual({ property_id: 8, hours: 71 });
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

describe('the property of the conversation', () => {
  it.each([
    ['is it ready to close', 'contract_readiness'],
    ['how is this property doing', 'property_heartbeat'],
    ["what's that one worth", 'value_property'],
    ['score it', 'score_property'],
    ['what should we do next with it', 'next_action'],
    ['change the price to 775k', 'update_property'],
    ['snooze it for 2 days', 'snooze_follow_up'],
    ['send the purchase agreement for signing', 'send_contract'],
  ])('"%s" uses it when there is one, asks when there is none', (text, tool) => {
    const cmd = commandOf(text);
    expect(cmd.tool).toBe(tool);
    expect(cmd.args).toMatchObject({ property_id: 7 });
    expect(cmd.propertyId).toBe(7);
    const q = questionOf(text, BARE);
    expect(q).toMatch(/which property/i);
  });

  it('an explicit property wins over the conversation', () => {
    expect(commandOf('is property 9 ready to close').args).toEqual({ property_id: 9 });
  });

  it('a property named by address goes to the resolver as said', () => {
    expect(commandOf('what is 141 Elm Street worth').args).toEqual({ property: '141 Elm St' });
    expect(commandOf('how is the one on Oak Avenue doing').args).toEqual({ property: 'Oak Ave' });
    expect(commandOf('score the Brooklyn property').args).toEqual({ property: 'Brooklyn' });
  });

  it('asks when two properties are named', () => {
    expect(questionOf('is property 5 or property 6 ready to close')).toBe(
      'Which property do you mean: property 5 or property 6?',
    );
  });
});

describe('missing or doubtful slots → a question, never a guess', () => {
  it.each([
    ['create a property', /street address/],
    ['create a property on Elm Street', /house number on Elm St/],
    ['change the price of property 5', /new price/],
    ['drop the price of property 5 by 20k', /new price/],
    ['change the price of property 5 to 799 or 800 thousand', /\$799,000 or \$800,000/],
    ['set property 5 to a different status', /Which stage/],
    ['counter offer 4', /What price should I counter offer 4 with/],
    ['counter offer 4 at 8', /What price/],
    ['we got an offer on property 5', /How much is the offer/],
    ['add a note to property 5', /What should the note say/],
    ['add a lender to property 5', /lender's name/],
    ['attach the required contracts', /Which contract should I attach to property 7/],
    ['attach the purchase agreement', /Which one: .*Purchase Agreement/],
    ['remind me tomorrow to call the lender', /What time tomorrow/],
    ['remind me to call the lender', /When should I remind you/],
    ['set a reminder', /What should I remind you about/],
    ['book a showing of property 5', /What day and time/],
    ['book a showing of property 5 tomorrow', /What time tomorrow/],
    ['snooze property 8 for 6 months', /up to 90 days/],
    ['snooze property 8 for 2 or 3 days', /2 days or 3 days/],
    ['start a campaign', /What kind of campaign/],
    ['start the just listed campaign for 123 Main Street', /property number of 123 Main St/],
    ['delete', /Which property should I delete/],
    ['delete the note', /only delete properties/],
    ['enrich property 5 with zillow data', /can't enrich/],
    ['do extensive research on 123 Main St', /can't run property research/],
    ['create', /What would you like me to create/],
  ])('"%s"', (text, question) => {
    expect(questionOf(text)).toMatch(question);
  });

  it.each([
    ['pause it', /Which campaign should I pause/],
    ['resume the campaign', /Which campaign should I resume/],
    ['start the just-listed campaign', /Which property is the just-listed campaign for/],
    ['send the purchase agreement for signing', /Which property is the purchase agreement for/],
    ['add a note: the seller wants to close before June', /Which property/],
  ])('without context: "%s"', (text, question) => {
    expect(questionOf(text, BARE)).toMatch(question);
  });

  it('a time that has passed is asked again', () => {
    expect(questionOf('remind me today at 9 am to call the lender')).toMatch(/passed/);
  });
});

describe('things that are not commands', () => {
  it.each(['uh', 'um', 'what', 'hmm', '', '   ', 'the weather is nice', 'eight fifty thousand', 'property', 'thanks'])(
    '"%s" → unknown',
    (text) => {
      expect(parseCommand(text, CTX).kind).toBe('unknown');
    },
  );

  it.each(['delete', 'create a property', 'create', 'send', 'remove it please from the notes'])(
    '"%s" → no command',
    (text) => {
      expect(parseCommand(text, CTX).kind).not.toBe('command');
    },
  );

  it.each<[string, CommandParse['kind']]>([
    ['yes', 'yes'],
    ['Yeah, sure.', 'yes'],
    ['go ahead', 'yes'],
    ['that is right', 'yes'],
    ['no', 'no'],
    ['nope', 'no'],
    ['cancel', 'no'],
    ['never mind', 'no'],
    ['bye', 'goodbye'],
    ["that's all, thanks", 'goodbye'],
    ['help', 'help'],
    ['what can I do?', 'help'],
  ])('"%s" → %s', (text, kind) => {
    expect(parseCommand(text, CTX).kind).toBe(kind);
  });

  it('a yes with a command is the command', () => {
    expect(commandOf('yes, pause it').tool).toBe('pause_campaign');
  });
});

describe('more phrasings', () => {
  it.each<[string, string, Record<string, unknown>]>([
    ['mark property 5 as sold', 'update_property', { property_id: 5, status: 'complete' }],
    ['move it to the researched stage', 'update_property', { property_id: 7, status: 'researched' }],
    ['change property 5 to 4 beds', 'update_property', { property_id: 5, bedrooms: 4 }],
    ['delete property 12', 'delete_property', { property_id: 12, confirm: true }],
    ['tell me about 141 Elm Street', 'get_property', { property: '141 Elm St' }],
    ['note that the buyer is pre-approved', 'add_note', { property_id: 7, content: 'The buyer is pre-approved' }],
    [
      'add the lender Jane Doe to property 5, her number is 512 555 0199',
      'add_contact',
      { property_id: 5, name: 'Jane Doe', role: 'lender', phone: '+15125550199' },
    ],
    [
      'attach the florida purchase agreement',
      'attach_contract',
      { property_id: 7, template_key: 'fl_residential_purchase_agreement' },
    ],
    ['send contract 14 for signature', 'send_contract', { property_id: 7, contract_id: 14 }],
    ['check compliance on property 5 for a lease', 'check_compliance', { property_id: 5, transaction_type: 'lease' }],
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
    ['who should I call today', 'follow_up_queue', {}],
    ['read me my top 3 urgent follow ups', 'follow_up_queue', { limit: 3, priority: 'urgent' }],
    ['mark the follow-up on property 8 done', 'complete_follow_up', { property_id: 8 }],
    [
      'remind me every monday at 9 to check the listings',
      'create_task',
      {
        title: 'Check the listings',
        task_type: 'recurring',
        recurrence: 'weekly',
        due_at: '2025-06-09T09:00:00-04:00',
      },
    ],
    ['remind me in 2 hours to call the seller', 'create_task', { title: 'Call the seller', in_minutes: 120 }],
    [
      'remind me about property 5 on friday morning',
      'create_task',
      { title: 'Property 5', property_id: 5, due_at: '2025-06-06T09:00:00-04:00' },
    ],
    [
      'book a showing of property 5 tomorrow at 3 pm for Jane Doe',
      'schedule_viewing',
      { property_id: 5, starts_at: '2025-06-04T15:00:00-04:00', visitor_name: 'Jane Doe' },
    ],
    ['check the pipeline for property 5', 'check_pipeline', { property_id: 5 }],
    ['start campaign 4', 'start_campaign', { campaign_id: 4 }],
    ['resume the campaign', 'start_campaign', { campaign_id: 3 }],
    ['launch an open house campaign for it', 'start_campaign', { property_id: 7, purpose: 'open_house_rsvp' }],
    ['start a past client check in campaign', 'start_campaign', { purpose: 'past_client_check_in' }],
    ['pause campaign 4', 'pause_campaign', { campaign_id: 4 }],
    ['what are the stats on campaign 4', 'campaign_status', { campaign_id: 4 }],
  ])('"%s" → %s', (text, tool, args) => {
    const cmd = commandOf(text);
    expect(cmd.tool).toBe(tool);
    expect(cmd.args).toEqual(args);
  });
});

describe('phrasings heard while testing', () => {
  it.each<[string, string, Record<string, unknown>]>([
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
    ['mark it closed', 'update_property', { property_id: 7, status: 'complete' }],
    ['put property 5 under contract', 'update_property', { property_id: 5, status: 'waiting_for_contracts' }],
    ['list property 5 at 799k', 'update_property', { property_id: 5, price: 799000 }],
    ['reduce the price on elm street to 775', 'update_property', { property: 'Elm St', price: 775000 }],
    ['what about property 5', 'get_property', { property_id: 5 }],
    ['how much is it', 'get_property', { property_id: 7 }],
    ['where are we with the Smith deal', 'property_heartbeat', { property: 'Smith' }],
    ["what's property 5's score", 'score_property', { property_id: 5 }],
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
    ['who do I need to call', 'follow_up_queue', {}],
    ['remind me in a couple of hours to call Bob', 'create_task', { title: 'Call Bob', in_minutes: 120 }],
    [
      "Remind me to call Mary O'Neil about the HOA docs, tomorrow at 10:30 am",
      'create_task',
      { title: "Call Mary O'Neil about the HOA docs", due_at: '2025-06-04T10:30:00-04:00' },
    ],
    [
      'mark the follow up on property 8 done: left a voicemail',
      'complete_follow_up',
      { property_id: 8, note: 'Left a voicemail' },
    ],
    ['how are my campaigns doing', 'campaign_status', {}],
    ['delete 141 elm street permanently', 'delete_property', { property: '141 Elm St', confirm: true }],
    ['start calling my past clients', 'start_campaign', { purpose: 'past_client_check_in' }],
    ['stop the campaign', 'pause_campaign', { campaign_id: 3 }],
    ['unpause it', 'start_campaign', { campaign_id: 3 }],
  ])('"%s" → %s', (text, tool, args) => {
    const cmd = commandOf(text);
    expect(cmd.tool).toBe(tool);
    expect(cmd.args).toEqual(args);
  });

  it.each([
    ['counter offer 3 at 835 or 840', /\$835,000 or \$840,000/],
    ['change the price of the property at 835 or 840 elm street', /\$835,000 or \$840,000/],
    ['snooze it for a few hours', /For how long/],
    ['remind me in a few minutes to call', /When should I remind you/],
    ['add a contact to property 5', /Who should I add/],
    ['remove the lead paint disclosure from property 5', /only delete properties/],
    ['start a campaign for property 5', /What kind of campaign/],
  ])('"%s" asks', (text, question) => {
    expect(questionOf(text)).toMatch(question);
  });
});

describe('purity', () => {
  it('gives the same answer twice and leaves the context alone', () => {
    const ctx = { ...CTX };
    const a = parseCommand('remind me tomorrow at 9 to call the lender', ctx);
    const b = parseCommand('remind me tomorrow at 9 to call the lender', ctx);
    expect(a).toEqual(b);
    expect(ctx).toEqual(CTX);
  });

  it('reads times in the agent’s time zone', () => {
    const cmd = commandOf('remind me tomorrow at 9 to call the lender', { ...CTX, timeZone: 'America/Los_Angeles' });
    expect(cmd.args.due_at).toBe('2025-06-04T09:00:00-07:00');
  });
});
