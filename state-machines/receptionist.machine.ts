import { assign } from 'xstate';
import {
  callerHungUp,
  closingStates,
  conversation,
  greetingState,
  initialContext,
  liveState,
  type ConversationInput,
} from './conversation.ts';

/**
 * The inbound receptionist's call machine. Pure: every effect (speaking, running the brain, transferring,
 * hanging up) is named in the shared conversation setup and provided by the call runtime with `.provide()`;
 * delays come from the input so tests and calls can tune them.
 *
 *   greeting → live ( dialogue: triage ⇄ property, offeringHuman  ‖  turn: listening ⇄ responding, checkingIn )
 *            → transferring | closing → ended
 */

export type Phase = 'triage' | 'property' | 'offeringHuman';
export type { TurnInput, TurnOutput } from './conversation.ts';
export { stateName } from './conversation.ts';
export type ReceptionistInput = ConversationInput;

/** triage ⇄ property; offeringHuman after repeated misunderstanding, then back (to property when one is in focus). */
const dialogue = conversation.createStateConfig({
  initial: 'triage',
  states: {
    triage: {
      entry: assign({ phase: 'triage' as Phase }),
      on: {
        'PROPERTY.FOCUSED': { target: 'property', actions: 'focusProperty' },
        'TURN.COMPLETED': [
          { guard: 'tooManyMisunderstandings', target: 'offeringHuman' },
          { guard: 'hasProperty', target: 'property' },
        ],
      },
    },
    property: {
      entry: assign({ phase: 'property' as Phase }),
      on: { 'TURN.COMPLETED': { guard: 'tooManyMisunderstandings', target: 'offeringHuman' } },
    },
    offeringHuman: {
      entry: ['offerHuman', assign({ misunderstood: 0, phase: 'offeringHuman' as Phase })],
      on: {
        'TURN.COMPLETED': [{ guard: 'hasProperty', target: 'property' }, { target: 'triage' }],
      },
    },
  },
});

export const receptionistMachine = conversation.createMachine({
  id: 'receptionist',
  context: ({ input }) => initialContext(input),
  initial: 'greeting',
  on: {
    'CALLER.HUNG_UP': callerHungUp,
  },
  states: {
    greeting: greetingState,
    live: liveState(dialogue),
    ...closingStates,
  },
});
