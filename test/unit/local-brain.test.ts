import { describe, expect, it } from 'vitest';
import type { BrainToolCall, ConversationItem } from '../../src/call-runtime/brain.port.ts';
import { LocalReceptionistBrain } from '../../src/voice/local-brain/receptionist-brain.ts';

const ALL = [
  'listing_info',
  'compare_price',
  'schedule_viewing',
  'take_offer',
  'take_message',
  'create_lead',
  'list_properties',
  'transfer_call',
  'end_call',
];
// Wednesday 2026-11-25 10:00 in Chicago.
const NOW = new Date('2026-11-25T16:00:00Z');

/** A conversation with the brain; tool calls are answered by `answer` like the runtime would. */
function conversation(answer: (call: BrainToolCall) => Record<string, unknown> = () => ({ ok: true })) {
  const brain = new LocalReceptionistBrain({ timeZone: 'America/Chicago', agentName: 'Dana' }, () => NOW);
  const history: ConversationItem[] = [];
  const calls: BrainToolCall[] = [];
  let phase = 'triage';
  const step = async (tools: string[]) => {
    let text = '';
    const stepCalls: BrainToolCall[] = [];
    for await (const chunk of brain.step({
      instructions: '',
      history,
      tools: tools.map((name) => ({ name, description: '', parameters: {} })),
      phase,
      signal: new AbortController().signal,
    })) {
      if (chunk.type === 'text') text += chunk.text;
      else stepCalls.push(chunk.call);
    }
    history.push({ role: 'assistant', text, ...(stepCalls.length ? { toolCalls: stepCalls } : {}) });
    return { text, calls: stepCalls };
  };
  return {
    calls,
    setPhase: (p: string) => (phase = p),
    /** One caller turn: steps until the brain asks for no tool; returns the spoken text. */
    async say(utterance: string, tools = ALL): Promise<string> {
      history.push({ role: 'user', text: utterance });
      let spoken = '';
      for (let i = 0; i < 4; i++) {
        const { text, calls: stepCalls } = await step(tools);
        spoken += text;
        if (!stepCalls.length) break;
        for (const call of stepCalls) {
          calls.push(call);
          const result = answer(call);
          if (result.ok && (result.data as { id?: number } | undefined)?.id) phase = 'property';
          history.push({ role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify(result) });
        }
        if (stepCalls.some((c) => c.name === 'end_call' || c.name === 'transfer_call')) break;
      }
      return spoken;
    },
  };
}

const listing = {
  ok: true,
  data: {
    id: 1,
    address: '141 Elm St',
    price: 850_000,
    bedrooms: 3,
    bathrooms: 2,
    square_feet: 1850,
    availability: 'available',
  },
  voice_summary: '141 Elm St is listed at $850,000, 3 bedrooms, 2 bathrooms, and it is still available.',
};

function answers(call: BrainToolCall): Record<string, unknown> {
  if (call.name === 'listing_info' || call.name === 'compare_price') return listing;
  if (call.name === 'schedule_viewing')
    return { ok: true, data: { id: 9 }, voice_summary: 'Booked for Thursday at 3 PM.' };
  return { ok: true, voice_summary: 'Done.' };
}

describe('local receptionist brain', () => {
  it('answers a property question from the listing tool, then books a viewing slot by slot', async () => {
    const c = conversation(answers);
    const first = await c.say("Hi, I'm calling about one forty one Elm Street. How much is it?");
    expect(c.calls[0]).toMatchObject({
      name: 'listing_info',
      arguments: { property: expect.stringMatching(/141 Elm/i) },
    });
    expect(first).toMatch(/\$850,000/);
    expect(first).toMatch(/schedule a viewing\?$/);

    expect(await c.say('Yes please')).toMatch(/what day and time/i);
    expect(await c.say('Tomorrow at 3 pm')).toMatch(/your name/i);
    const booked = await c.say('John Carter');
    const viewing = c.calls.find((x) => x.name === 'schedule_viewing')!;
    expect(viewing.arguments).toMatchObject({ visitor_name: 'John Carter', starts_at: '2026-11-26T15:00:00-06:00' });
    // The visitor becomes a lead, then is qualified.
    expect(c.calls.at(-1)).toMatchObject({ name: 'create_lead', arguments: { caller_name: 'John Carter' } });
    expect(booked).toMatch(/^Booked for Thursday at 3 PM\.Are you pre-approved for a mortgage/);
    expect(await c.say("Yes, I'm pre-approved with Chase")).toMatch(/working with an agent/);
    expect(c.calls.at(-1)).toMatchObject({ name: 'create_lead', arguments: { pre_approved: true, lender: 'Chase' } });
    expect(await c.say('No, not yet')).toMatch(/anything else/);
    expect(c.calls.at(-1)).toMatchObject({ name: 'create_lead', arguments: { has_agent: false } });

    expect(await c.say('No, that is all')).toBe('');
    expect(c.calls.at(-1)!.name).toBe('end_call');
  });

  it('a new request in the middle of the qualification questions is served, not taken as an answer', async () => {
    const c = conversation(answers);
    c.setPhase('property');
    await c.say('Can I see it tomorrow at 3 pm? My name is Ana Diaz');
    expect(c.calls.map((x) => x.name)).toEqual(['schedule_viewing', 'create_lead']);
    expect(await c.say('How many bathrooms does it have?')).toMatch(/2 bathrooms/);
  });

  it('asks which property when none is known, and answers only the topic asked', async () => {
    const c = conversation(answers);
    expect(await c.say('How many bedrooms does it have?')).toMatch(/which property/i);
    expect(c.calls).toHaveLength(0);
    const answer = await c.say('The one at 141 Elm Street');
    expect(answer).toMatch(/3 bedrooms/);
    expect(answer).not.toMatch(/\$850,000/);
  });

  it('takes a message: name, then the message, then the tool', async () => {
    const c = conversation(answers);
    expect(await c.say('Can I leave a message for Dana?')).toMatch(/your name/i);
    expect(await c.say("It's Sarah Lee")).toMatch(/what would you like me to pass on/i);
    await c.say('Please call me back about selling my condo');
    expect(c.calls.at(-1)).toMatchObject({
      name: 'take_message',
      arguments: { caller_name: 'Sarah Lee', message: 'Please call me back about selling my condo' },
    });
  });

  it('takes an offer on the property in focus, transfers on request, ends on goodbye', async () => {
    const c = conversation(answers);
    c.setPhase('property');
    await c.say("I'd like to make an offer of 820 thousand");
    expect(c.calls.at(-1)).toMatchObject({ name: 'take_offer', arguments: { amount: 820_000 } });
    await c.say('Can I speak to Dana directly?');
    expect(c.calls.at(-1)!.name).toBe('transfer_call');
    await c.say('Okay, bye');
    expect(c.calls.at(-1)!.name).toBe('end_call');
  });

  it('after offering a human, "yes" transfers and "no" carries on', async () => {
    const c = conversation(answers);
    c.setPhase('offeringHuman');
    await c.say('yes');
    expect(c.calls.at(-1)!.name).toBe('transfer_call');
    const d = conversation(answers);
    d.setPhase('offeringHuman');
    expect(await d.say('no')).toMatch(/what can I help/i);
    expect(d.calls).toHaveLength(0);
  });

  it('does not call a tool the state does not allow', async () => {
    const c = conversation(answers);
    const text = await c.say('Can I speak to the agent?', ['listing_info', 'end_call']);
    expect(c.calls).toHaveLength(0);
    expect(text).toMatch(/can’t transfer you right now/);
  });

  it('says when it did not understand, and offers the suggestion of a failed lookup', async () => {
    const c = conversation((call) =>
      call.arguments.property === '141 Elm St'
        ? listing
        : {
            ok: false,
            code: 'property_not_found',
            error: 'No property matches "14 Elmo". Did you mean #1 141 Elm St, Austin?',
            details: { suggestions: [{ id: 1, address: '141 Elm St' }] },
          },
    );
    expect(await c.say('purple monkey dishwasher')).toMatch(/didn’t catch that/);
    const missed = await c.say("I'm calling about 14 Elmo Street");
    expect(missed).toBe('No property matches "14 Elmo". Did you mean 141 Elm St, Austin?');
    const found = await c.say('yes');
    expect(c.calls.at(-1)).toMatchObject({ name: 'listing_info', arguments: { property: '141 Elm St' } });
    expect(found).toMatch(/listed at \$850,000/);
  });
});
