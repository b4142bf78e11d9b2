import { createActor, fromPromise, SimulatedClock, type AnyStateMachine, type EventFrom, type InputFrom } from 'xstate';
import { stateName, type TurnInput, type TurnOutput } from '../../state-machines/conversation.ts';

/**
 * Drives the phone conversation machines (receptionist, campaign call, voice commands) in unit tests: a scripted
 * `respond` actor, every effect recorded by name, and an actor on a simulated clock with helpers that send the
 * caller's words or keys and let the invoked promises settle.
 */

/** A turn's output as the brain would report it: understood, nothing in focus, the call goes on. */
export const reply = (over: Partial<TurnOutput> = {}): TurnOutput => ({
  understood: true,
  propertyId: null,
  directive: 'continue',
  replyMs: 0,
  ...over,
});

/** One scripted turn: its output, or 'hang' (never settles; rejects once the turn is stopped). */
export type ScriptedTurn = TurnOutput | 'hang';

/**
 * A `respond` actor that answers each turn with the next of `turns` (an understood `reply()` once they run out),
 * recording the turns it was given and the texts of the turns that were stopped.
 */
export function scriptedRespond(turns: ScriptedTurn[]) {
  const inputs: TurnInput[] = [];
  const aborted: string[] = [];
  const respond = fromPromise<TurnOutput, TurnInput>(({ input: turn, signal }) => {
    inputs.push(turn);
    const next = turns.shift() ?? reply();
    if (next === 'hang') {
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => {
          aborted.push(turn.text);
          reject(new Error('aborted'));
        }),
      );
    }
    return Promise.resolve(next);
  });
  return { respond, inputs, aborted };
}

/** The conversation effects, each recording its name (and its parameter: "goodbye:silence") in `effects`. */
export function recordingActions(effects: string[]) {
  return {
    greet: () => effects.push('greet'),
    askStillThere: () => effects.push('askStillThere'),
    offerHuman: () => effects.push('offerHuman'),
    explainNoTransfer: () => effects.push('explainNoTransfer'),
    apologise: () => effects.push('apologise'),
    truncateReply: (_: unknown, p: { heard: string }) => effects.push(`truncate:${p.heard}`),
    startTransfer: () => effects.push('startTransfer'),
    sayGoodbye: (_: unknown, p: { reason: string }) => effects.push(`goodbye:${p.reason}`),
    confirmOptOut: () => effects.push('confirmOptOut'),
    askPin: (_: unknown, p: { retry: boolean }) => effects.push(`askPin:${p.retry}`),
    welcome: () => effects.push('welcome'),
    handOver: () => effects.push('handOver'),
    hangUp: () => effects.push('hangUp'),
    finish: (_: unknown, p: { reason: string }) => effects.push(`finish:${p.reason}`),
  };
}

/** Lets the invoked promises settle (one macrotask). */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Starts `machine` on a simulated clock, with helpers to read its state and to speak or key as the caller. */
export function driveMachine<TMachine extends AnyStateMachine>(machine: TMachine, input: InputFrom<TMachine>) {
  const clock = new SimulatedClock();
  const actor = createActor(machine, { input, clock });
  actor.start();
  const send = (event: { type: string } & Record<string, unknown>) => actor.send(event as EventFrom<TMachine>);
  return {
    actor,
    clock,
    settle,
    /** "intro.listening" style name of the current state. */
    state: (): string => stateName((actor.getSnapshot() as { value: unknown }).value),
    say: async (text: string): Promise<void> => {
      send({ type: 'CALLER.SAID', text });
      await settle();
    },
    key: async (digits: string): Promise<void> => {
      for (const digit of digits) send({ type: 'CALLER.DTMF', digit });
      await settle();
    },
  };
}
