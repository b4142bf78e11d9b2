import { describe, expect, it } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import {
  receptionistMachine,
  stateName,
  type ReceptionistInput,
  type TurnInput,
  type TurnOutput,
} from '../../state-machines/receptionist.machine.ts';
import {
  driveMachine,
  recordingActions,
  reply,
  scriptedRespond,
  type ScriptedTurn,
} from '../helpers/machine-driver.ts';

const INPUT: ReceptionistInput = {
  silenceMs: 5_000,
  maxDurationMs: 60_000,
  maxMisunderstandings: 2,
  goodbyeMs: 1_000,
  canTransfer: true,
};

/** The machine with recording effects and a scripted `respond`: each turn's output is taken from `turns`. */
function harness(turns: ScriptedTurn[] = [], input: Partial<ReceptionistInput> = {}) {
  const effects: string[] = [];
  const { respond, inputs, aborted } = scriptedRespond(turns);
  const machine = receptionistMachine.provide({ actors: { respond }, actions: recordingActions(effects) });
  return { ...driveMachine(machine, { ...INPUT, ...input }), effects, inputs, aborted };
}

describe('receptionist machine', () => {
  it('greets, then listens in triage', () => {
    const h = harness();
    expect(h.effects).toEqual(['greet']);
    expect(h.state()).toBe('triage.listening');
  });

  it('answers a turn and moves to the property once one is in focus', async () => {
    const h = harness([reply()]);
    h.actor.send({ type: 'CALLER.SAID', text: 'about 141 Elm' });
    expect(h.state()).toBe('triage.responding');
    h.actor.send({ type: 'PROPERTY.FOCUSED', propertyId: 7 });
    expect(h.state()).toBe('property.responding');
    await h.settle();
    expect(h.state()).toBe('property.listening');
    expect(h.actor.getSnapshot().context).toMatchObject({ propertyId: 7, turns: 1, phase: 'property' });
    expect(h.inputs).toEqual([{ text: 'about 141 Elm', phase: 'triage' }]);
    await h.say('how many bedrooms');
    expect(h.inputs[1]).toEqual({ text: 'how many bedrooms', phase: 'property' });
  });

  it('offers a human after repeated misunderstanding, then goes back', async () => {
    const h = harness([reply({ understood: false }), reply({ understood: false }), reply({ understood: true })]);
    await h.say('blah');
    expect(h.state()).toBe('triage.listening');
    await h.say('blah blah');
    expect(h.state()).toBe('offeringHuman.listening');
    expect(h.effects).toContain('offerHuman');
    await h.say('no thanks');
    expect(h.inputs.at(-1)).toEqual({ text: 'no thanks', phase: 'offeringHuman' });
    expect(h.state()).toBe('triage.listening');
    expect(h.actor.getSnapshot().context.misunderstood).toBe(0);
  });

  it('asks "are you still there?" after silence, then says goodbye and hangs up', async () => {
    const h = harness([reply({ replyMs: 2_000 })]);
    await h.say('hi');
    h.clock.increment(6_999); // silence counts from when the 2 s reply has played
    expect(h.state()).toBe('triage.listening');
    h.clock.increment(1);
    expect(h.state()).toBe('triage.checkingIn');
    expect(h.effects).toContain('askStillThere');
    h.clock.increment(7_000);
    expect(h.state()).toBe('closing');
    h.clock.increment(1_000);
    expect(h.actor.getSnapshot().status).toBe('done');
    expect(h.effects.slice(-3)).toEqual(['goodbye:silence', 'hangUp', 'finish:silence']);
  });

  it('a caller who speaks again after the check-in carries on', async () => {
    const h = harness();
    h.clock.increment(5_000);
    expect(h.state()).toBe('triage.checkingIn');
    await h.say('sorry, yes');
    expect(h.state()).toBe('triage.listening');
  });

  it('transfers when the turn asks for it and a number exists; explains otherwise', async () => {
    const yes = harness([reply({ directive: 'transfer' })]);
    await yes.say('can I talk to Dana');
    expect(yes.state()).toBe('transferring');
    expect(yes.effects).toContain('startTransfer');
    yes.actor.send({ type: 'CALLER.HUNG_UP' });
    expect(yes.effects.at(-1)).toBe('finish:transferred');

    const no = harness([reply({ directive: 'transfer' })], { canTransfer: false });
    await no.say('can I talk to Dana');
    expect(no.state()).toBe('triage.listening');
    expect(no.effects).toContain('explainNoTransfer');
  });

  it('pressing 0 asks for the agent', () => {
    const h = harness();
    h.actor.send({ type: 'CALLER.DTMF', digit: '5' });
    expect(h.state()).toBe('triage.listening');
    h.actor.send({ type: 'CALLER.DTMF', digit: '0' });
    expect(h.state()).toBe('transferring');
  });

  it('an interruption stops the running turn and truncates the reply to what was heard', async () => {
    const h = harness(['hang']);
    h.actor.send({ type: 'CALLER.SAID', text: 'tell me everything' });
    await h.settle();
    h.actor.send({ type: 'CALLER.INTERRUPTED', heard: 'It has three' });
    await h.settle();
    expect(h.state()).toBe('triage.listening');
    expect(h.aborted).toEqual(['tell me everything']);
    expect(h.effects).toContain('truncate:It has three');
  });

  it('a new utterance while answering replaces the turn', async () => {
    const h = harness(['hang', reply()]);
    h.actor.send({ type: 'CALLER.SAID', text: 'first' });
    await h.settle();
    await h.say('second');
    expect(h.aborted).toEqual(['first']);
    expect(h.inputs.map((i) => i.text)).toEqual(['first', 'second']);
    expect(h.state()).toBe('triage.listening');
  });

  it('a goodbye turn ends the call; a failed turn apologises', async () => {
    const failing = createActor(
      receptionistMachine.provide({
        actors: { respond: fromPromise<TurnOutput, TurnInput>(() => Promise.reject(new Error('model down'))) },
        actions: {},
      }),
      { input: INPUT },
    );
    const seen: string[] = [];
    failing.subscribe((s) => seen.push(stateName(s.value)));
    failing.start();
    failing.send({ type: 'CALLER.SAID', text: 'hello' });
    await new Promise((r) => setTimeout(r, 0));
    expect(seen.at(-1)).toBe('triage.listening');

    const h = harness([reply({ directive: 'end' })]);
    await h.say('bye');
    expect(h.state()).toBe('closing');
    expect(h.effects).toContain('goodbye:goodbye');
  });

  it('ends at the maximum duration and when the caller hangs up', () => {
    const h = harness();
    h.clock.increment(60_000);
    expect(h.effects).toContain('goodbye:max_duration');
    const g = harness();
    g.actor.send({ type: 'CALLER.HUNG_UP' });
    expect(g.actor.getSnapshot().status).toBe('done');
    expect(g.effects.at(-1)).toBe('finish:caller_hung_up');
  });

  it('a persisted snapshot restores the same state and context', async () => {
    const h = harness([reply()]);
    h.actor.send({ type: 'CALLER.SAID', text: 'about Elm' });
    h.actor.send({ type: 'PROPERTY.FOCUSED', propertyId: 3 });
    await h.settle();
    const persisted = JSON.parse(JSON.stringify(h.actor.getPersistedSnapshot())) as never;
    const restored = createActor(receptionistMachine, { snapshot: persisted, input: INPUT });
    restored.start();
    expect(stateName(restored.getSnapshot().value)).toBe('property.listening');
    expect(restored.getSnapshot().context.propertyId).toBe(3);
    restored.stop();
  });
});
