import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { campaignCallMachine } from '../../state-machines/campaign-call.machine.ts';
import { stateName } from '../../state-machines/conversation.ts';
import { reply } from '../helpers/machine-driver.ts';
import { harness, INPUT, toOfferingHuman } from './campaign-call-harness.ts';

describe('campaign call machine', () => {
  describe('opening and dialogue steps', () => {
    it('greets once, then listens on the first step', () => {
      const h = harness();
      expect(h.effects).toEqual(['greet']);
      expect(h.state()).toBe('intro.listening');
      expect(h.actor.getSnapshot().matches({ live: { dialogue: 'intro', turn: 'listening' } })).toBe(true);
      expect(h.context()).toMatchObject({ phase: 'intro', step: 0, steps: ['intro', 'needs', 'wrapUp'] });
    });

    it('an understood turn moves to the next step; the brain is told the phase it works in', async () => {
      const h = harness([reply(), reply()]);
      h.actor.send({ type: 'CALLER.SAID', text: 'yes, this is Sam' });
      expect(h.state()).toBe('intro.responding');
      await h.settle();
      expect(h.state()).toBe('needs.listening');
      expect(h.context()).toMatchObject({ phase: 'needs', step: 1, turns: 1, misunderstood: 0 });
      await h.say('we might sell next spring');
      expect(h.state()).toBe('wrapUp.listening');
      expect(h.context()).toMatchObject({ phase: 'wrapUp', step: 2, turns: 2 });
      expect(h.inputs).toEqual([
        { text: 'yes, this is Sam', phase: 'intro' },
        { text: 'we might sell next spring', phase: 'needs' },
      ]);
      expect(h.effects).toEqual(['greet']);
    });

    it('a turn that was not understood stays on the step', async () => {
      const h = harness([reply({ understood: false })]);
      await h.say('mmm');
      expect(h.state()).toBe('intro.listening');
      expect(h.context()).toMatchObject({ phase: 'intro', step: 0, misunderstood: 1 });
    });

    it('the last step stays the last step', async () => {
      const h = harness([reply(), reply(), reply(), reply()]);
      await h.say('one');
      await h.say('two');
      expect(h.state()).toBe('wrapUp.listening');
      await h.say('three');
      await h.say('four');
      expect(h.state()).toBe('wrapUp.listening');
      expect(h.context()).toMatchObject({ phase: 'wrapUp', step: 2, turns: 4 });
    });

    it('a one-step playbook stays on its step', async () => {
      const h = harness([reply(), reply()], {}, ['only']);
      expect(h.context().phase).toBe('only');
      await h.say('sure');
      await h.say('ok');
      expect(h.state()).toBe('only.listening');
    });

    it('after too many misunderstandings it offers a person, then goes back to the step it came from', async () => {
      const h = harness([
        reply(), // intro → needs
        reply({ understood: false }),
        reply({ understood: false }),
        reply({ understood: true }),
      ]);
      await h.say('hello');
      expect(h.state()).toBe('needs.listening');
      await h.say('blah');
      expect(h.state()).toBe('needs.listening');
      expect(h.effects).not.toContain('offerHuman');
      await h.say('blah blah');
      expect(h.state()).toBe('offeringHuman.listening');
      expect(h.effects.filter((e) => e === 'offerHuman')).toHaveLength(1);
      expect(h.context()).toMatchObject({ phase: 'offeringHuman', step: 1, misunderstood: 0 });
      // An understood answer to the offer goes back to "needs", not on to the step after it.
      await h.say('no, carry on');
      expect(h.inputs.at(-1)).toEqual({ text: 'no, carry on', phase: 'offeringHuman' });
      expect(h.state()).toBe('needs.listening');
      expect(h.context()).toMatchObject({ phase: 'needs', step: 1, misunderstood: 0 });
    });

    it('a misunderstood answer to the offer also goes back to the step', async () => {
      const h = harness([
        reply(),
        reply({ understood: false }),
        reply({ understood: false }),
        reply({ understood: false }),
      ]);
      await h.say('hello');
      await h.say('blah');
      await h.say('blah blah');
      expect(h.state()).toBe('offeringHuman.listening');
      await h.say('blah blah blah');
      expect(h.state()).toBe('needs.listening');
      expect(h.context()).toMatchObject({ phase: 'needs', step: 1, misunderstood: 1 });
    });
  });

  describe('transfer', () => {
    it('"0" asks for a transfer: transfers when there is a number', async () => {
      const h = harness();
      h.actor.send({ type: 'CALLER.DTMF', digit: '0' });
      expect(h.state()).toBe('transferring');
      expect(h.effects).toEqual(['greet', 'startTransfer']);
      expect(h.context().endReason).toBe('transferred');
      h.actor.send({ type: 'CALLER.HUNG_UP' });
      expect(h.done()).toBe(true);
      expect(h.effects.at(-1)).toBe('finish:transferred');

      const answering = harness(['hang']);
      answering.actor.send({ type: 'CALLER.SAID', text: 'hm' });
      await answering.settle();
      answering.actor.send({ type: 'CALLER.DTMF', digit: '0' });
      expect(answering.state()).toBe('transferring');
    });

    it('"0" without a number explains and carries on', () => {
      const h = harness([], { canTransfer: false });
      h.actor.send({ type: 'CALLER.DTMF', digit: '0' });
      expect(h.state()).toBe('intro.listening');
      expect(h.effects).toEqual(['greet', 'explainNoTransfer']);
      expect(h.context().endReason).toBeNull();
    });

    it('a turn with directive "transfer" transfers', async () => {
      const h = harness([reply({ directive: 'transfer' })]);
      await h.say('can I talk to the agent');
      expect(h.state()).toBe('transferring');
      expect(h.effects).toContain('startTransfer');
    });
  });

  describe('ending', () => {
    it('a turn with directive "end" says goodbye, hangs up and finishes', async () => {
      const h = harness([reply({ directive: 'end' })]);
      await h.say('not interested, bye');
      expect(h.state()).toBe('closing');
      expect(h.effects).toEqual(['greet', 'goodbye:goodbye']);
      h.clock.increment(999);
      expect(h.state()).toBe('closing');
      h.clock.increment(1);
      expect(h.state()).toBe('ended');
      expect(h.done()).toBe(true);
      expect(h.effects).toEqual(['greet', 'goodbye:goodbye', 'hangUp', 'finish:goodbye']);
    });

    it('silence: "are you still there?", then goodbye', () => {
      const h = harness();
      h.clock.increment(5_000);
      expect(h.state()).toBe('intro.checkingIn');
      expect(h.effects).toContain('askStillThere');
      h.clock.increment(5_000);
      expect(h.state()).toBe('closing');
      h.clock.increment(1_000);
      expect(h.effects.slice(-3)).toEqual(['goodbye:silence', 'hangUp', 'finish:silence']);
    });

    it('ends at the maximum duration, whatever the turns', async () => {
      const h = harness([reply(), reply()], { silenceMs: 120_000 });
      await h.say('go on');
      h.clock.increment(30_000);
      await h.say('yes');
      h.clock.increment(29_999);
      expect(h.state()).toBe('wrapUp.listening');
      h.clock.increment(1);
      expect(h.state()).toBe('closing');
      expect(h.effects.at(-1)).toBe('goodbye:max_duration');
      h.clock.increment(1_000);
      expect(h.done()).toBe(true);
      expect(h.effects.slice(-2)).toEqual(['hangUp', 'finish:max_duration']);
    });

    it.each([
      ['listening', async () => harness()],
      [
        'responding',
        async () => {
          const h = harness(['hang']);
          h.actor.send({ type: 'CALLER.SAID', text: 'hmm' });
          await h.settle();
          expect(h.state()).toBe('intro.responding');
          return h;
        },
      ],
      [
        'checkingIn',
        async () => {
          const h = harness();
          h.clock.increment(5_000);
          expect(h.state()).toBe('intro.checkingIn');
          return h;
        },
      ],
      [
        'a later step',
        async () => {
          const h = harness([reply()]);
          await h.say('yes');
          expect(h.state()).toBe('needs.listening');
          return h;
        },
      ],
      [
        'offeringHuman',
        async () => {
          const h = harness([reply({ understood: false }), reply({ understood: false })]);
          await toOfferingHuman(h);
          return h;
        },
      ],
    ])('the caller hanging up in %s ends the call as caller_hung_up', async (_, start) => {
      const h = await start();
      h.actor.send({ type: 'CALLER.HUNG_UP' });
      await h.settle();
      expect(h.state()).toBe('ended');
      expect(h.done()).toBe(true);
      expect(h.effects.at(-1)).toBe('finish:caller_hung_up');
      // The caller hung up: the call does not hang up again.
      expect(h.effects).not.toContain('hangUp');
    });

    it('a hang-up after the call already had an end reason keeps that reason', async () => {
      const closing = harness([reply({ directive: 'end' })]);
      await closing.say('bye');
      closing.actor.send({ type: 'CALLER.HUNG_UP' });
      expect(closing.effects.at(-1)).toBe('finish:goodbye');

      const optedOut = harness();
      optedOut.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      optedOut.optOuts[0]!.resolve();
      await optedOut.settle();
      expect(optedOut.state()).toBe('optedOut');
      optedOut.actor.send({ type: 'CALLER.HUNG_UP' });
      expect(optedOut.done()).toBe(true);
      expect(optedOut.effects).toEqual(['greet', 'confirmOptOut', 'finish:opted_out']);
    });
  });

  describe('definition', () => {
    it('is pure: machines built from different steps are independent', async () => {
      const a = campaignCallMachine(['pitch', 'followUp']);
      const b = campaignCallMachine(['hello', 'when', 'where']);
      const dialogue = (m: typeof a) => Object.keys(m.root.states.live!.states.dialogue!.states);
      expect(dialogue(a)).toEqual(['pitch', 'followUp', 'offeringHuman']);
      expect(dialogue(b)).toEqual(['hello', 'when', 'where', 'offeringHuman']);
      expect(a).not.toBe(b);

      // Building a third machine does not change the first two.
      campaignCallMachine(['other']);
      expect(dialogue(a)).toEqual(['pitch', 'followUp', 'offeringHuman']);

      const ha = harness([reply(), reply()], {}, ['pitch', 'followUp']);
      const hb = harness([reply(), reply()], {}, ['hello', 'when', 'where']);
      expect(ha.context()).toMatchObject({ phase: 'pitch', steps: ['pitch', 'followUp'] });
      expect(hb.context()).toMatchObject({ phase: 'hello', steps: ['hello', 'when', 'where'] });
      await ha.say('yes');
      await hb.say('yes');
      await ha.say('yes');
      await hb.say('yes');
      expect(ha.state()).toBe('followUp.listening');
      expect(hb.state()).toBe('where.listening');

      // Two actors of the same machine share nothing either.
      const a1 = createActor(a, { input: INPUT }).start();
      const a2 = createActor(a, { input: { ...INPUT, canTransfer: false } }).start();
      a1.send({ type: 'CALLER.HUNG_UP' });
      expect(a1.getSnapshot().status).toBe('done');
      expect(a2.getSnapshot().status).toBe('active');
      expect(a2.getSnapshot().context).toMatchObject({ phase: 'pitch', canTransfer: false, endReason: null });
      a2.stop();
    });

    it('with the default recordOptOut (it throws: the runtime must provide it) the person still hears the confirmation', async () => {
      const actor = createActor(campaignCallMachine(['pitch']), { input: INPUT });
      const errors: unknown[] = [];
      actor.subscribe({ error: (err) => errors.push(err) });
      actor.start();
      actor.send({ type: 'CALLER.DTMF', digit: '9' });
      await new Promise((r) => setTimeout(r, 0));
      // The default recordOptOut throws; the call still goes to the confirmation.
      expect(stateName(actor.getSnapshot().value)).toBe('optedOut');
      expect(errors).toEqual([]);
      actor.stop();
    });
  });
});
