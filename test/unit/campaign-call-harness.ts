import { expect } from 'vitest';
import { fromPromise } from 'xstate';
import { campaignCallMachine } from '../../state-machines/campaign-call.machine.ts';
import type { ConversationInput, OptOutSource } from '../../state-machines/conversation.ts';
import { driveMachine, recordingActions, scriptedRespond, type ScriptedTurn } from '../helpers/machine-driver.ts';

/**
 * The campaign-call machine under test: recording effects, a scripted `respond` (each turn's output is taken from
 * `turns`; 'hang' never settles until aborted) and a `recordOptOut` the test resolves or rejects.
 */

export const INPUT: ConversationInput = {
  silenceMs: 5_000,
  maxDurationMs: 60_000,
  maxMisunderstandings: 2,
  goodbyeMs: 1_000,
  canTransfer: true,
};

const STEPS = ['intro', 'needs', 'wrapUp'] as const;

/** One call of the `recordOptOut` actor, settled by the test. */
interface OptOutCall {
  source: OptOutSource;
  resolve: () => void;
  reject: (err: Error) => void;
  aborted: () => boolean;
}

/** A campaign call on the steps intro → needs → wrapUp (or `steps`), started on a simulated clock. */
export function harness(
  turns: ScriptedTurn[] = [],
  input: Partial<ConversationInput> = {},
  steps: readonly [string, ...string[]] = STEPS,
) {
  const effects: string[] = [];
  const optOuts: OptOutCall[] = [];
  const { respond, inputs, aborted } = scriptedRespond(turns);
  const machine = campaignCallMachine(steps).provide({
    actors: {
      respond,
      recordOptOut: fromPromise<void, { source: OptOutSource }>(
        ({ input: { source }, signal }) =>
          new Promise<void>((resolve, reject) => {
            optOuts.push({ source, resolve, reject, aborted: () => signal.aborted });
          }),
      ),
    },
    actions: recordingActions(effects),
  });
  const driver = driveMachine(machine, { ...INPUT, ...input });
  return {
    ...driver,
    effects,
    inputs,
    aborted,
    optOuts,
    context: () => driver.actor.getSnapshot().context,
    done: (): boolean => driver.actor.getSnapshot().status === 'done',
  };
}

export type Harness = ReturnType<typeof harness>;

/** Two misunderstood turns (maxMisunderstandings 2) from the first step: the call offers a person. */
export async function toOfferingHuman(h: Harness): Promise<void> {
  await h.say('huh');
  await h.say('what');
  expect(h.state()).toBe('offeringHuman.listening');
}
