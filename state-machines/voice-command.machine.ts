import { assign } from 'xstate';
import {
  callerHungUp,
  closingStates,
  conversation,
  initialContext,
  liveState,
  maxDurationReached,
  type ConversationInput,
} from './conversation.ts';

/**
 * A realtor running the business by phone (issue 9). Pure: effects are named in the shared conversation setup and
 * provided by the call runtime.
 *
 *   greeting ("say or key your PIN") → authenticating ( waiting ⇄ checking )
 *     → live ( dialogue: commands ⇄ confirming  ‖  turn: listening ⇄ responding )
 *     → handingOver (no PIN: the receptionist) | closing → ended
 *
 * The PIN: digits keyed (ended by "#" or at 8 digits) or said; the runtime checks it (hashed, lockout after 5
 * failures across calls). Three wrong PINs in a call, or a lock, end the call; no PIN at all (silence, or words
 * with no digits) hands the call to the receptionist (`handingOver`: the carrier connects the receptionist). In `live`, a command that
 * changes or sends something is not run by the brain's turn: the turn answers with the read-back and the
 * directive 'confirm', the dialogue waits in `confirming`, and only the caller's yes runs it.
 */

/** Wrong PINs allowed in one call before it ends. */
export const PIN_TRIES_PER_CALL = 3;
const MAX_PIN_DIGITS = 8;

/** Commands, and a change waiting for the caller's yes. */
const live = liveState({
  initial: 'commands',
  states: {
    commands: {
      entry: assign({ phase: 'commands' }),
      on: { 'TURN.COMPLETED': { guard: 'wantsConfirm', target: 'confirming' } },
    },
    confirming: {
      entry: assign({ phase: 'confirming' }),
      // Yes (done) or no (dropped) goes back to commands; an unclear answer asks again.
      on: { 'TURN.COMPLETED': [{ guard: 'wantsConfirm' }, { target: 'commands' }] },
    },
  },
});

export const voiceCommandMachine = conversation.createMachine({
  id: 'voiceCommand',
  context: ({ input }: { input: ConversationInput }) => initialContext({ ...input, steps: ['commands'] }),
  initial: 'greeting',
  on: {
    'CALLER.HUNG_UP': callerHungUp,
  },
  states: {
    greeting: {
      entry: 'greet',
      // Signed in to the console already (the test call): straight to the commands.
      always: [
        { guard: ({ context }) => context.authenticated === true, target: 'live' },
        { target: 'authenticating' },
      ],
    },
    authenticating: {
      initial: 'waiting',
      after: { maxDuration: maxDurationReached },
      states: {
        waiting: {
          on: {
            'CALLER.DTMF': [
              { guard: ({ event }) => event.digit === '#', target: 'checking' },
              {
                guard: ({ context }) => context.pin.length + 1 >= MAX_PIN_DIGITS,
                target: 'checking',
                actions: assign({ pin: ({ context, event }) => context.pin + event.digit }),
              },
              { actions: assign({ pin: ({ context, event }) => context.pin + event.digit }) },
            ],
            'CALLER.SAID': { target: 'checking', actions: assign({ pin: ({ event }) => event.text }) },
          },
          after: {
            silence: [
              // Keyed digits and a pause: check them; no PIN at all: the receptionist takes the call.
              { guard: ({ context }) => context.pin.length > 0, target: 'checking' },
              { target: '#voiceCommand.handingOver' },
            ],
          },
        },
        checking: {
          invoke: {
            src: 'checkPin',
            input: ({ context }) => ({ pin: context.pin }),
            onDone: [
              { guard: ({ event }) => event.output.ok, target: '#voiceCommand.live', actions: 'welcome' },
              { guard: ({ event }) => event.output.noPin === true, target: '#voiceCommand.handingOver' },
              {
                guard: ({ event }) => event.output.locked,
                target: '#voiceCommand.closing',
                actions: assign({ endReason: 'pin_locked' }),
              },
              {
                guard: ({ context }) => context.pinTries + 1 >= PIN_TRIES_PER_CALL,
                target: '#voiceCommand.closing',
                actions: assign({ endReason: 'pin_failed' }),
              },
              {
                target: 'waiting',
                actions: [
                  assign({ pin: '', pinTries: ({ context }) => context.pinTries + 1 }),
                  { type: 'askPin', params: { retry: true } },
                ],
              },
            ],
            onError: { target: '#voiceCommand.closing', actions: assign({ endReason: 'error' }) },
          },
        },
      },
    },
    live: {
      ...live,
      entry: assign({ pin: '' }),
      // The caller is the agent: there is nobody to transfer them to.
      on: { ...live.on, 'TRANSFER.REQUESTED': { actions: 'explainNoTransfer' } },
    },
    handingOver: {
      type: 'final',
      entry: [assign({ endReason: 'handover' }), 'handOver', { type: 'finish', params: { reason: 'handover' } }],
    },
    ...closingStates,
  },
});
