import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BrainToolCall, ConversationItem } from '../../../src/call-runtime/brain.port.ts';
import { fill, loadPersona } from '../../../src/call-runtime/persona.ts';
import { LocalPlaybookBrain, localPlaybookBrain } from '../../../src/voice/local-brain/playbook-brain.ts';

// Wednesday 2026-11-25 10:00 in Chicago.
const NOW = new Date('2026-11-25T16:00:00Z');
/** The agents with a campaign playbook (the receptionist and voice commands have none). */
const PLAYBOOKS = readdirSync(new URL('../../../agents/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length))
  .filter((name) => loadPersona(name).playbook !== undefined);

type Reply = Record<string, unknown>;
/** The runtime's answer to a tool call (set_call_outcome, end_call and transfer_call just succeed). */
type Answer = (call: BrainToolCall) => Reply;

const VIEWING: Reply = {
  ok: true,
  data: { id: 7 },
  voice_summary: 'You’re booked to see 141 Elm Street tomorrow at 10 am.',
};
const LISTING: Reply = {
  ok: true,
  data: { address: '141 Elm Street', price: 850000, bedrooms: 3 },
  voice_summary: '141 Elm Street is listed at $850,000, 3 bedrooms, and it is still available.',
};
const defaults: Answer = (call) =>
  call.name === 'schedule_viewing' ? VIEWING : call.name === 'listing_info' ? LISTING : { ok: true };

/** A campaign call with the brain; each turn steps it like the runtime does until it asks for no tool. */
function campaignCall(playbook: string, opts: { personName?: string | null; answer?: Answer } = {}) {
  const persona = loadPersona(playbook);
  const brain = new LocalPlaybookBrain(
    {
      timeZone: 'America/Chicago',
      agentName: 'Dana',
      campaign: {
        playbook,
        personName: opts.personName === undefined ? 'Sam Lee' : opts.personName,
        propertyId: 12,
        propertyAddress: '141 Elm Street',
        persona,
      },
    },
    () => NOW,
  );
  const history: ConversationItem[] = [{ role: 'assistant', text: 'greeting' }];
  const answer = opts.answer ?? defaults;
  let phase = persona.playbook!.steps[0]!;
  return {
    history,
    setPhase: (p: string) => (phase = p),
    /** One turn of the person: the spoken text and the tool calls, in order. */
    async say(utterance: string) {
      history.push({ role: 'user', text: utterance });
      const calls: BrainToolCall[] = [];
      let spoken = '';
      for (let step = 0; step < 4; step++) {
        let text = '';
        const stepCalls: BrainToolCall[] = [];
        for await (const chunk of brain.step({
          instructions: '',
          history,
          tools: (persona.tools[phase] ?? []).map((name) => ({ name, description: '', parameters: {} })),
          phase,
          signal: new AbortController().signal,
        })) {
          if (chunk.type === 'text') {
            expect(stepCalls, 'text comes before the tool calls').toEqual([]);
            text += chunk.text;
          } else stepCalls.push(chunk.call);
        }
        spoken += (spoken && text ? ' ' : '') + text;
        history.push({ role: 'assistant', text, ...(stepCalls.length ? { toolCalls: stepCalls } : {}) });
        if (!stepCalls.length) break;
        for (const call of stepCalls) {
          expect(persona.tools[phase], `${call.name} is allowed in ${phase}`).toContain(call.name);
          calls.push(call);
          history.push({ role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify(answer(call)) });
        }
        if (stepCalls.some((c) => c.name === 'end_call' || c.name === 'transfer_call')) break;
      }
      expect(spoken).not.toContain('{');
      return { spoken, calls, names: calls.map((c) => c.name) };
    },
  };
}

describe('playbook personas', () => {
  it('has the seven playbooks', () => {
    expect(PLAYBOOKS.sort()).toEqual([
      'expired-follow-up',
      'fsbo-follow-up',
      'just-listed',
      'just-sold',
      'open-house-rsvp',
      'past-client-check-in',
      'property-update',
    ]);
  });

  it.each(PLAYBOOKS)('%s parses, discloses the AI and the opt-out in its opening, and fills completely', (name) => {
    const persona = loadPersona(name);
    const playbook = persona.playbook!;
    expect(playbook.steps).toEqual(['pitch', 'followUp']);
    expect(persona.instructions).toContain('{phase_guidance}');
    expect(Object.keys(persona.tools).sort()).toEqual(['followUp', 'offeringHuman', 'pitch']);
    expect(Object.keys(persona.phases ?? {}).sort()).toEqual(['followUp', 'offeringHuman', 'pitch']);
    expect(persona.tools.followUp!.includes('schedule_viewing')).toBe(playbook.offersViewing);

    const greeting = persona.lines.greeting as string;
    expect(greeting).toMatch(/\bI'm an AI\b/);
    const order = ["{agent}'s virtual assistant at {brokerage}", "I'm an AI", '{call_back}', 'press 9 or say stop'];
    const positions = order.map((s) => greeting.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(greeting).toContain('To stop these calls, press 9 or say stop.');
    expect(greeting.trim().endsWith('?')).toBe(true);
    expect(persona.lines.voicemail).toContain('{call_back}');
    expect(persona.lines.voicemail).toMatch(/\bI'm an AI\b/);
    expect(persona.lines.optOut).toMatch(/^You're off our list/);

    const vars = {
      name: 'Sam',
      name_greeting: ' Sam',
      agent: 'Dana',
      brokerage: 'Lakeview Realty',
      property: '141 Elm Street',
      call_back: '(312) 555-0100',
      campaign: 'Elm Street',
      when: 'tomorrow at 5',
    };
    for (const [key, value] of Object.entries(persona.lines)) {
      for (const text of Array.isArray(value) ? value : [value]) expect(fill(text, vars), key).not.toContain('{');
    }
    expect(fill(greeting, { ...vars, name_greeting: '' })).toMatch(/^Hi, this is Dana's virtual assistant/);
    expect(fill(playbook.interestedTask, vars)).not.toContain('{');
  });
});

describe('LocalPlaybookBrain', () => {
  it('needs a campaign call', () => {
    expect(() => localPlaybookBrain({ timeZone: 'America/Chicago', agentName: 'Dana' })).toThrow(/campaign/);
  });

  describe('just-listed (offers viewings)', () => {
    it('books a viewing: yes, then a time, then the outcome and the end', async () => {
      const c = campaignCall('just-listed');
      const yes = await c.say('Sure, tell me more');
      expect(yes.calls).toEqual([]);
      expect(yes.spoken).toMatch(/What day and time/);
      c.setPhase('followUp');
      const when = await c.say('Tomorrow at 10 works');
      expect(when.names).toEqual(['schedule_viewing', 'set_call_outcome', 'end_call']);
      expect(when.calls[0]!.arguments).toEqual({ property_id: 12, when: 'tomorrow at 10', visitor_name: 'Sam Lee' });
      expect(when.calls[1]!.arguments).toEqual({
        outcome: 'interested',
        note: `Viewing booked: ${VIEWING.voice_summary as string}`,
      });
      expect(when.spoken).toBe('You’re booked to see 141 Elm Street tomorrow at 10 am. Dana will meet you there.');
    });

    it('books at once when the yes has a time and the step allows booking', async () => {
      const c = campaignCall('just-listed', { personName: null });
      c.setPhase('followUp');
      const r = await c.say("Yes, tomorrow at 10 works. I'm Pat Jones");
      expect(r.names).toEqual(['schedule_viewing', 'set_call_outcome', 'end_call']);
      expect(r.calls[0]!.arguments).toMatchObject({
        property_id: 12,
        when: 'tomorrow at 10',
        visitor_name: 'Pat Jones',
      });
    });

    it('in the pitch (no booking tool) confirms the time first, then books', async () => {
      const c = campaignCall('just-listed');
      const first = await c.say("I'd love to see it tomorrow at 10");
      expect(first.calls).toEqual([]);
      expect(first.spoken).toBe('Great! Shall I book you in for tomorrow at 10?');
      c.setPhase('followUp');
      const second = await c.say('Yes please');
      expect(second.names).toEqual(['schedule_viewing', 'set_call_outcome', 'end_call']);
      expect(second.calls[0]!.arguments).toMatchObject({ when: 'tomorrow at 10' });
    });

    it('asks for another time when the slot is taken', async () => {
      const c = campaignCall('just-listed', {
        answer: (call) =>
          call.name === 'schedule_viewing'
            ? { ok: false, error: 'Dana is busy then (#4). Free times: 11 am or 2 pm.' }
            : { ok: true },
      });
      await c.say('Yes');
      c.setPhase('followUp');
      const r = await c.say('tomorrow at 10');
      expect(r.names).toEqual(['schedule_viewing']);
      expect(r.spoken).toBe('Dana is busy then. Free times: 11 am or 2 pm. What other time would work for you?');
    });

    it('a follow-up "no, just send details" is still interested', async () => {
      const c = campaignCall('just-listed');
      await c.say('Maybe');
      c.setPhase('followUp');
      const r = await c.say('No, just send me the details');
      expect(r.names).toEqual(['set_call_outcome', 'end_call']);
      expect(r.calls[0]!.arguments).toEqual({
        outcome: 'interested',
        note: 'Wants the details sent: "No, just send me the details"',
      });
      expect(r.spoken).toBe("Perfect. I'll pass that on, and Dana will be in touch soon.");
      const d = campaignCall('just-listed');
      await d.say('yes');
      d.setPhase('followUp');
      const call = await d.say('No, just have Dana call me');
      expect(call.calls[0]!.arguments).toEqual({ outcome: 'interested', note: 'Said: "No, just have Dana call me"' });
    });

    it('not interested', async () => {
      const r = await campaignCall('just-listed').say('No thanks');
      expect(r.names).toEqual(['set_call_outcome', 'end_call']);
      expect(r.calls[0]!.arguments).toEqual({ outcome: 'not_interested' });
      expect(r.spoken).toBe('No problem at all. Thanks for letting me know.');
    });

    it('call back later, with the time as said', async () => {
      const r = await campaignCall('just-listed').say("I'm driving, call me back tomorrow at 5");
      expect(r.names).toEqual(['set_call_outcome', 'end_call']);
      expect(r.calls[0]!.arguments).toEqual({ outcome: 'call_back', call_back_at: 'tomorrow at 5' });
      expect(r.spoken).toBe("Of course. We'll call you back tomorrow at 5.");
      const later = await campaignCall('just-listed').say('Not a good time');
      expect(later.calls[0]!.arguments).toEqual({ outcome: 'call_back', call_back_at: 'later' });
      expect(later.spoken).toBe("Of course. We'll call you back later.");
    });

    it('wrong number', async () => {
      const r = await campaignCall('just-listed').say("There's no one here by that name");
      expect(r.names).toEqual(['set_call_outcome', 'end_call']);
      expect(r.calls[0]!.arguments).toEqual({ outcome: 'wrong_number' });
      expect(r.spoken).toBe("Sorry about that. I'll update our records.");
    });

    it('answers a question about the property from listing_info and asks again', async () => {
      const c = campaignCall('just-listed');
      const r = await c.say('How much is it?');
      expect(r.names).toEqual(['listing_info']);
      expect(r.calls[0]!.arguments).toEqual({ property_id: 12 });
      expect(r.spoken).toBe(`${LISTING.voice_summary as string} Would you like to hear about it, or see it?`);
      // The question is still open: a no now is a no to the playbook.
      const no = await c.say('No');
      expect(no.calls[0]!.arguments).toEqual({ outcome: 'not_interested' });
    });

    it('goodbye ends the call; gibberish is asked again', async () => {
      const c = campaignCall('just-listed');
      const huh = await c.say('blorp');
      expect(huh.calls).toEqual([]);
      expect(huh.spoken).toBe("Sorry, I didn't catch that. Would you like to hear about it, or see it?");
      const again = await c.say('What?');
      expect(again.spoken).toBe(huh.spoken);
      const bye = await c.say('Okay bye');
      expect(bye.names).toEqual(['end_call']);
      expect(bye.spoken).toBe('');
    });

    it('transfers when the person wants the agent after a misunderstanding', async () => {
      const c = campaignCall('just-listed');
      c.setPhase('offeringHuman');
      const r = await c.say('Yes please');
      expect(r.names).toEqual(['transfer_call']);
      const d = campaignCall('just-listed');
      d.setPhase('offeringHuman');
      expect((await d.say('No')).spoken).toBe('No problem. Would you like to hear about it, or see it?');
    });

    it('unique tool call ids', async () => {
      const c = campaignCall('just-listed');
      const ids = [...(await c.say('How big is it?')).calls, ...(await c.say('no thanks')).calls].map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });

  describe('open-house-rsvp (no viewings)', () => {
    it('RSVP yes: asks how many, then records interested with the answer', async () => {
      const c = campaignCall('open-house-rsvp');
      const yes = await c.say('Count me in');
      expect(yes.calls).toEqual([]);
      expect(yes.spoken).toBe("Wonderful, I'll put you on the list! How many people will be coming?");
      c.setPhase('followUp');
      const r = await c.say('Two of us');
      expect(r.names).toEqual(['set_call_outcome', 'end_call']);
      expect(r.calls[0]!.arguments).toEqual({ outcome: 'interested', note: 'Said: "Two of us"' });
      expect(r.spoken).toBe("Great, you're on the list. Dana will send you the details.");
    });

    it('a time never books a viewing', async () => {
      const c = campaignCall('open-house-rsvp');
      await c.say('yes');
      c.setPhase('followUp');
      const r = await c.say('Saturday at 2');
      expect(r.names).toEqual(['set_call_outcome', 'end_call']);
      expect(r.calls[0]!.arguments).toMatchObject({ outcome: 'interested' });
    });

    it('not interested, call back, wrong number', async () => {
      const no = await campaignCall('open-house-rsvp').say("No, I'm not interested");
      expect(no.calls.map((c) => c.arguments)).toEqual([{ outcome: 'not_interested' }, {}]);
      const later = await campaignCall('open-house-rsvp').say("I'm busy, try later");
      expect(later.calls[0]!.arguments).toEqual({ outcome: 'call_back', call_back_at: 'later' });
      expect(later.names).toEqual(['set_call_outcome', 'end_call']);
      const wrong = await campaignCall('open-house-rsvp').say('You have the wrong number');
      expect(wrong.calls[0]!.arguments).toEqual({ outcome: 'wrong_number' });
    });

    it('a property question, then yes', async () => {
      const c = campaignCall('open-house-rsvp');
      const q = await c.say('How many bedrooms does it have?');
      expect(q.names).toEqual(['listing_info']);
      expect(q.spoken).toMatch(/Would you like to come to the open house\?$/);
      expect((await c.say("Sure, I'll be there")).spoken).toMatch(/How many people/);
    });

    it('saying goodbye after a yes still records the interest', async () => {
      const c = campaignCall('open-house-rsvp');
      await c.say('yes');
      c.setPhase('followUp');
      const r = await c.say('gotta go, bye');
      expect(r.names).toEqual(['set_call_outcome', 'end_call']);
      expect(r.calls[0]!.arguments).toMatchObject({ outcome: 'interested' });
    });
  });

  it('past-client-check-in has no property: a question is deferred to the agent', async () => {
    const persona = loadPersona('past-client-check-in');
    const brain = localPlaybookBrain({
      timeZone: 'America/Chicago',
      agentName: 'Dana',
      campaign: { playbook: persona.name, personName: null, propertyId: null, propertyAddress: null, persona },
    });
    const chunks = [];
    for await (const chunk of brain.step({
      instructions: '',
      history: [{ role: 'user', text: 'How much is it?' }],
      tools: persona.tools.pitch!.map((name) => ({ name, description: '', parameters: {} })),
      phase: 'pitch',
      signal: new AbortController().signal,
    }))
      chunks.push(chunk);
    expect(chunks).toEqual([
      {
        type: 'text',
        text: "I don't have those details in front of me, but Dana can tell you more. Are you thinking of buying or selling, or do you know someone who is?",
      },
    ]);
  });
});
