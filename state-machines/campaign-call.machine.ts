import { assign } from 'xstate';
import {
  callerHungUp,
  closingStates,
  conversation,
  initialContext,
  maxDurationReached,
  turnRegion,
  type ConversationInput,
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
export function campaignCallMachine(steps: readonly [string, ...string[]]) {
  const dialogue: Record<string, ReturnType<typeof conversation.createStateConfig>> = {};
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

  return conversation.createMachine({
    id: 'campaignCall',
    context: ({ input }: { input: ConversationInput }) => initialContext({ ...input, steps: [...steps] }),
    initial: 'greeting',
    on: {
      'CALLER.HUNG_UP': callerHungUp,
    },
    states: {
      greeting: {
        entry: 'greet',
        always: 'live',
      },
      live: {
        type: 'parallel',
        after: {
          maxDuration: maxDurationReached,
        },
        on: {
          'CALLER.OPTED_OUT': 'optingOut',
          'CALLER.DTMF': { guard: 'isNine', target: 'optingOut' },
          'TRANSFER.REQUESTED': [{ guard: 'canTransfer', target: 'transferring' }, { actions: 'explainNoTransfer' }],
          'PROPERTY.FOCUSED': { actions: 'focusProperty' },
          'END.REQUESTED': { target: 'closing', actions: assign({ endReason: ({ event }) => event.reason }) },
        },
        states: {
          dialogue: { initial: steps[0], states: dialogue },
          turn: turnRegion,
        },
      },
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
      closing: {
        ...closingStates.closing,
        on: { 'CALLER.OPTED_OUT': 'optingOut', 'CALLER.DTMF': { guard: 'isNine', target: 'optingOut' } },
      },
    },
  });
}

export type CampaignCallMachine = ReturnType<typeof campaignCallMachine>;
