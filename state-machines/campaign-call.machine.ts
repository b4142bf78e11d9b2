import { assign } from 'xstate';
import {
  callerHungUp,
  closingStates,
  conversation,
  greetingState,
  initialContext,
  liveState,
  type ConversationInput,
  type DialogueConfig,
} from './conversation.ts';

/**
 * The conversation of an answered campaign call, built from a playbook's steps (agents/<playbook>.json). Pure:
 * effects are named in the shared conversation setup and provided by the call runtime.
 *
 *   greeting (the opening: who calls, AI, why, call-back number, opt-out, the question)
 *     → live ( dialogue: step₁ → step₂ → … (an answered turn moves on), offeringHuman  ‖  turn: listening ⇄ responding )
 *     → optingOut (the do-not-call write) → optedOut (said) | transferring | closing → ended
 *
 * The opt-out is the machine's, not the model's: "9" at any time, or the runtime hearing "stop" / "don't call me"
 * (CALLER.OPTED_OUT), goes straight to `optingOut` whatever the dialogue was doing.
 */
/** "9", or the runtime hearing "stop": straight to the do-not-call write. */
const optOut = {
  'CALLER.OPTED_OUT': 'optingOut',
  'CALLER.DTMF': { guard: 'isNine', target: 'optingOut' },
} as const;

export function campaignCallMachine(steps: readonly [string, ...string[]]) {
  const dialogue: Record<string, DialogueConfig> = {};
  steps.forEach((step, i) => {
    const next = steps[i + 1];
    dialogue[step] = conversation.createStateConfig({
      entry: assign({ phase: step, step: i }),
      on: {
        'TURN.COMPLETED': [
          { guard: 'tooManyMisunderstandings', target: 'offeringHuman' },
          ...(next ? [{ guard: 'answered' as const, target: next }] : []),
        ],
      },
    });
  });
  dialogue.offeringHuman = conversation.createStateConfig({
    entry: ['offerHuman', assign({ misunderstood: 0, phase: 'offeringHuman' })],
    // Back to the step the person was on.
    on: {
      'TURN.COMPLETED': steps.map((step, i) => ({ guard: ({ context }) => context.step === i, target: step })),
    },
  });

  const live = liveState({ initial: steps[0], states: dialogue });
  return conversation.createMachine({
    id: 'campaignCall',
    context: ({ input }: { input: ConversationInput }) => initialContext({ ...input, steps: [...steps] }),
    initial: 'greeting',
    on: {
      'CALLER.HUNG_UP': callerHungUp,
    },
    states: {
      greeting: greetingState,
      live: { ...live, on: { ...optOut, ...live.on } },
      optingOut: {
        entry: assign({ endReason: 'opted_out' }),
        invoke: {
          src: 'recordOptOut',
          input: ({ event }) => ({ source: event.type === 'CALLER.OPTED_OUT' ? event.source : 'opt_out_keyed' }),
          // A failed write is the runtime's to report; the person still hears the goodbye.
          onDone: 'optedOut',
          onError: 'optedOut',
        },
      },
      optedOut: {
        entry: 'confirmOptOut',
        after: { goodbye: { target: 'ended', actions: 'hangUp' } },
      },
      ...closingStates,
      // "Stop" during the goodbye still counts.
      closing: { ...closingStates.closing, on: optOut },
    },
  });
}

export type CampaignCallMachine = ReturnType<typeof campaignCallMachine>;
