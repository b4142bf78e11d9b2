import { describe, expect, it } from 'vitest';
import { COMMAND_EXAMPLES, parseCommand, type CommandParse } from '../../../src/voice/commands/grammar.ts';
import { BARE, commandOf, CTX, expectQuestion, questionOf, type QuestionCase } from './grammar-expect.ts';

/**
 * The phone grammar as a whole: the examples of every command family, the property of the conversation, requests
 * it cannot serve, what is not a command, and purity. Each family's phrasings are in grammar-<family>.test.ts.
 */

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
  it.each<QuestionCase>([
    ['enrich property 5 with zillow data', /can't enrich/],
    ['do extensive research on 123 Main St', /can't run property research/],
    ['create', /What would you like me to create/],
  ])('"%s"', expectQuestion);
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
