import { describe, expect, it } from 'vitest';
import { fromPromise } from 'xstate';
import type { ConversationInput, PinVerdict, TurnOutput } from '../../state-machines/conversation.ts';
import { PIN_TRIES_PER_CALL, voiceCommandMachine } from '../../state-machines/voice-command.machine.ts';
import { driveMachine, recordingActions, reply, scriptedRespond } from '../helpers/machine-driver.ts';

const INPUT: ConversationInput = {
  silenceMs: 5_000,
  maxDurationMs: 600_000,
  maxMisunderstandings: 2,
  goodbyeMs: 1_000,
  canTransfer: false,
};

/** The voice-command machine with recording effects, scripted turns, and PIN checks answered by `verdicts`. */
function harness(turns: TurnOutput[] = [], verdicts: PinVerdict[] = [], input: Partial<ConversationInput> = {}) {
  const effects: string[] = [];
  const pins: string[] = [];
  const { respond, inputs } = scriptedRespond(turns);
  const machine = voiceCommandMachine.provide({
    actors: {
      respond,
      checkPin: fromPromise<PinVerdict, { pin: string }>(({ input }) => {
        pins.push(input.pin);
        return Promise.resolve(verdicts.shift() ?? { ok: false, locked: false });
      }),
    },
    actions: recordingActions(effects),
  });
  return {
    ...driveMachine(machine, { ...INPUT, ...input }),
    effects,
    pins,
    /** The phase of each turn the brain was asked to answer. */
    get phases(): string[] {
      return inputs.map((turn) => turn.phase);
    },
  };
}

describe('voice-command machine', () => {
  it('asks for the PIN; keyed digits ended by # are checked; a right PIN opens the commands', async () => {
    const h = harness([], [{ ok: true, locked: false }]);
    expect(h.effects).toEqual(['greet']);
    expect(h.state()).toBe('authenticating.waiting');
    await h.key('4821#');
    expect(h.pins).toEqual(['4821']);
    expect(h.effects).toEqual(['greet', 'welcome']);
    expect(h.state()).toBe('commands.listening');
  });

  it('an agent already signed in (the console) goes straight to the commands, no PIN asked', async () => {
    const h = harness([], [], { authenticated: true });
    expect(h.state()).toBe('commands.listening');
    expect(h.effects).toEqual(['greet']);
    await h.say('what needs attention today');
    expect(h.phases).toEqual(['commands']);
    expect(h.pins).toEqual([]);
  });

  it('a spoken PIN is checked as said; eight keyed digits need no #; a pause after digits checks them', async () => {
    const spoken = harness([], [{ ok: true, locked: false }]);
    await spoken.say('four eight two one');
    expect(spoken.pins).toEqual(['four eight two one']);
    const eight = harness([], [{ ok: true, locked: false }]);
    await eight.key('12345678');
    expect(eight.pins).toEqual(['12345678']);
    const paused = harness([], [{ ok: true, locked: false }]);
    await paused.key('4821');
    paused.clock.increment(5_000);
    await paused.settle();
    expect(paused.pins).toEqual(['4821']);
  });

  it(`a wrong PIN asks again; ${PIN_TRIES_PER_CALL} wrong PINs end the call; a lock ends it at once`, async () => {
    const h = harness();
    await h.key('1111#');
    expect(h.effects).toEqual(['greet', 'askPin:true']);
    await h.key('2222#');
    await h.key('3333#');
    expect(h.pins).toEqual(['1111', '2222', '3333']);
    expect(h.effects.slice(-2)).toEqual(['askPin:true', 'goodbye:pin_failed']);
    h.clock.increment(1_000);
    expect(h.effects.slice(-2)).toEqual(['hangUp', 'finish:pin_failed']);

    const locked = harness([], [{ ok: false, locked: true }]);
    await locked.key('1111#');
    expect(locked.effects).toEqual(['greet', 'goodbye:pin_locked']);
  });

  it('no commands run before the PIN: words are a PIN attempt, never a turn', async () => {
    const h = harness([], [{ ok: false, locked: false }]);
    await h.say('create a property at 123 Main St');
    expect(h.phases).toEqual([]);
    expect(h.pins).toEqual(['create a property at 123 Main St']);
    expect(h.state()).toBe('authenticating.waiting');
  });

  it('no PIN at all (silence, or words without digits) hands the call to the receptionist', async () => {
    const silent = harness();
    silent.clock.increment(5_000);
    await silent.settle();
    expect(silent.effects).toEqual(['greet', 'handOver', 'finish:handover']);
    expect(silent.actor.getSnapshot().status).toBe('done');

    const words = harness([], [{ ok: false, locked: false, noPin: true }]);
    await words.say("I'd like to leave a message");
    expect(words.effects).toEqual(['greet', 'handOver', 'finish:handover']);
  });

  it('a change waits in confirming for the yes; an unclear answer asks again; then back to commands', async () => {
    const h = harness(
      [reply({ directive: 'confirm' }), reply({ directive: 'confirm' }), reply(), reply()],
      [{ ok: true, locked: false }],
    );
    await h.key('4821#');
    await h.say('create a property at 123 Main St for 850 thousand');
    expect(h.state()).toBe('confirming.listening');
    await h.say('hmm');
    expect(h.state()).toBe('confirming.listening');
    await h.say('yes');
    expect(h.state()).toBe('commands.listening');
    await h.say('what needs attention today');
    expect(h.phases).toEqual(['commands', 'confirming', 'confirming', 'commands']);
  });

  it('goodbye ends the call; "0" explains there is no one to transfer to', async () => {
    const h = harness([reply({ directive: 'end' })], [{ ok: true, locked: false }]);
    await h.key('4821#');
    h.actor.send({ type: 'CALLER.DTMF', digit: '0' });
    expect(h.effects).toContain('explainNoTransfer');
    await h.say("that's all, bye");
    expect(h.effects.at(-1)).toBe('goodbye:goodbye');
  });
});
