import { describe, expect, it } from 'vitest';
import { reply } from '../helpers/machine-driver.ts';
import { harness, toOfferingHuman } from './campaign-call-harness.ts';

describe('campaign call machine', () => {
  describe('opt-out', () => {
    it('"9" while listening records a keyed opt-out, confirms it, then hangs up', async () => {
      const h = harness();
      h.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      expect(h.state()).toBe('optingOut');
      expect(h.context().endReason).toBe('opted_out');
      expect(h.optOuts.map((o) => o.source)).toEqual(['opt_out_keyed']);
      // The person hears the confirmation only once the do-not-call write is done.
      expect(h.effects).not.toContain('confirmOptOut');
      h.clock.increment(10_000);
      expect(h.state()).toBe('optingOut');

      h.optOuts[0]!.resolve();
      await h.settle();
      expect(h.state()).toBe('optedOut');
      expect(h.effects.at(-1)).toBe('confirmOptOut');
      h.clock.increment(999);
      expect(h.state()).toBe('optedOut');
      expect(h.effects).not.toContain('hangUp');
      h.clock.increment(1);
      expect(h.state()).toBe('ended');
      expect(h.done()).toBe(true);
      expect(h.effects).toEqual(['greet', 'confirmOptOut', 'hangUp', 'finish:opted_out']);
      expect(h.optOuts).toHaveLength(1);
    });

    it('"9" while a turn is being answered stops the turn and opts out', async () => {
      const h = harness(['hang']);
      h.actor.send({ type: 'CALLER.SAID', text: 'who is this' });
      await h.settle();
      expect(h.state()).toBe('intro.responding');
      h.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      expect(h.state()).toBe('optingOut');
      await h.settle();
      expect(h.aborted).toEqual(['who is this']);
      expect(h.optOuts.map((o) => o.source)).toEqual(['opt_out_keyed']);
      h.optOuts[0]!.resolve();
      await h.settle();
      h.clock.increment(1_000);
      expect(h.done()).toBe(true);
      expect(h.effects).toEqual(['greet', 'confirmOptOut', 'hangUp', 'finish:opted_out']);
    });

    it('"9" during "are you still there?" opts out', () => {
      const h = harness();
      h.clock.increment(5_000);
      expect(h.state()).toBe('intro.checkingIn');
      h.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      expect(h.state()).toBe('optingOut');
      expect(h.optOuts.map((o) => o.source)).toEqual(['opt_out_keyed']);
    });

    it('"9" on a later step, and while a person is being offered, opts out', async () => {
      const later = harness([reply()]);
      await later.say('hi');
      expect(later.state()).toBe('needs.listening');
      later.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      expect(later.state()).toBe('optingOut');

      const offering = harness([reply({ understood: false }), reply({ understood: false })]);
      await toOfferingHuman(offering);
      offering.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      expect(offering.state()).toBe('optingOut');
      expect(offering.optOuts.map((o) => o.source)).toEqual(['opt_out_keyed']);
    });

    it('other digits do not opt out', () => {
      const h = harness();
      for (const digit of ['1', '5', '8', '#', '*']) h.actor.send({ type: 'CALLER.DTMF', digit });
      expect(h.state()).toBe('intro.listening');
      expect(h.optOuts).toEqual([]);
    });

    it('a failed do-not-call write still confirms to the person and ends the call', async () => {
      const h = harness();
      h.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      h.optOuts[0]!.reject(new Error('database down'));
      await h.settle();
      expect(h.state()).toBe('optedOut');
      expect(h.effects.at(-1)).toBe('confirmOptOut');
      h.clock.increment(1_000);
      expect(h.done()).toBe(true);
      expect(h.effects).toEqual(['greet', 'confirmOptOut', 'hangUp', 'finish:opted_out']);
    });

    it('a spoken opt-out (CALLER.OPTED_OUT) records its source, while listening or answering', async () => {
      const listening = harness();
      listening.actor.send({ type: 'CALLER.OPTED_OUT', source: 'opt_out_spoken' });
      expect(listening.state()).toBe('optingOut');
      expect(listening.optOuts.map((o) => o.source)).toEqual(['opt_out_spoken']);
      listening.optOuts[0]!.resolve();
      await listening.settle();
      listening.clock.increment(1_000);
      expect(listening.effects).toEqual(['greet', 'confirmOptOut', 'hangUp', 'finish:opted_out']);

      const responding = harness(['hang']);
      responding.actor.send({ type: 'CALLER.SAID', text: 'tell me more' });
      await responding.settle();
      responding.actor.send({ type: 'CALLER.OPTED_OUT', source: 'opt_out_spoken' });
      await responding.settle();
      expect(responding.state()).toBe('optingOut');
      expect(responding.aborted).toEqual(['tell me more']);
      expect(responding.optOuts.map((o) => o.source)).toEqual(['opt_out_spoken']);
    });

    it('a CALLER.OPTED_OUT carrying the keyed source is recorded as keyed', () => {
      const h = harness();
      h.actor.send({ type: 'CALLER.OPTED_OUT', source: 'opt_out_keyed' });
      expect(h.optOuts.map((o) => o.source)).toEqual(['opt_out_keyed']);
    });

    it('a second "9" or "stop" while the opt-out is being written does not write again', () => {
      const h = harness();
      h.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      h.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      h.actor.send({ type: 'CALLER.OPTED_OUT', source: 'opt_out_spoken' });
      expect(h.state()).toBe('optingOut');
      expect(h.optOuts).toHaveLength(1);
    });

    it('hanging up while the opt-out is written ends the call as opted out (the write was already started)', () => {
      const h = harness();
      h.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      h.actor.send({ type: 'CALLER.HUNG_UP' });
      expect(h.done()).toBe(true);
      expect(h.optOuts).toHaveLength(1);
      // The invoked write is stopped (its signal aborts); the runtime's write ignores the signal.
      expect(h.optOuts[0]!.aborted()).toBe(true);
      expect(h.effects).toEqual(['greet', 'finish:opted_out']);
    });

    // The goodbye is still playing (the call has not ended): "stop" or "9" then still counts.
    it('"stop" heard while the goodbye plays still opts out', async () => {
      const h = harness([reply({ directive: 'end' })]);
      await h.say("that's all, bye");
      expect(h.state()).toBe('closing');
      h.actor.send({ type: 'CALLER.OPTED_OUT', source: 'opt_out_spoken' });
      expect(h.optOuts.map((o) => o.source)).toEqual(['opt_out_spoken']);
    });

    it('"9" pressed while the goodbye plays still opts out', async () => {
      const h = harness([reply({ directive: 'end' })]);
      await h.say("that's all, bye");
      expect(h.state()).toBe('closing');
      h.actor.send({ type: 'CALLER.DTMF', digit: '9' });
      expect(h.optOuts.map((o) => o.source)).toEqual(['opt_out_keyed']);
    });
  });
});
