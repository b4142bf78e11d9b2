import { assign, enqueueActions, fromPromise, raise, setup } from 'xstate';

/**
 * The inbound receptionist's call machine. Pure: every effect (speaking, running the brain, transferring,
 * hanging up) is named here and provided by the call runtime with `.provide()`; delays come from the input
 * so tests and calls can tune them.
 *
 *   greeting → live ( dialogue: triage ⇄ property, offeringHuman  ‖  turn: listening ⇄ responding, checkingIn )
 *            → transferring | closing → ended
 */

export type Phase = 'triage' | 'property' | 'offeringHuman';

/** What the runtime's `respond` actor reports after one caller turn. */
export interface TurnOutput {
  /** The caller's words were understood (an intent was recognised or a tool was used). */
  understood: boolean;
  /** The property the conversation is now about, when the turn identified one. */
  propertyId: number | null;
  /** What the turn asks the call to do next. */
  directive: 'continue' | 'transfer' | 'end';
  /** Estimated playback time of the reply, so the silence timer starts when the caller has heard it. */
  replyMs: number;
}

export interface TurnInput {
  text: string;
  phase: Phase;
}

export interface ReceptionistInput {
  /** Silence after the reply has played before "are you still there?" (and again before ending). */
  silenceMs: number;
  maxDurationMs: number;
  /** Misunderstood turns in a row before a human is offered. */
  maxMisunderstandings: number;
  /** Time to let the goodbye play before hanging up. */
  goodbyeMs: number;
  /** The agent has a number to transfer to. */
  canTransfer: boolean;
}

export interface ReceptionistContext extends ReceptionistInput {
  misunderstood: number;
  propertyId: number | null;
  turns: number;
  lastReplyMs: number;
  utterance: string;
  endReason: string | null;
  phase: Phase;
}

export type ReceptionistEvent =
  | { type: 'CALLER.SAID'; text: string }
  | { type: 'CALLER.INTERRUPTED'; heard: string }
  | { type: 'CALLER.DTMF'; digit: string }
  | { type: 'CALLER.HUNG_UP' }
  | { type: 'PROPERTY.FOCUSED'; propertyId: number }
  | { type: 'TRANSFER.REQUESTED' }
  | { type: 'END.REQUESTED'; reason: string }
  | { type: 'TURN.COMPLETED'; output: TurnOutput };

export const receptionistMachine = setup({
  types: {
    context: {} as ReceptionistContext,
    events: {} as ReceptionistEvent,
    input: {} as ReceptionistInput,
  },
  actors: {
    respond: fromPromise<TurnOutput, TurnInput>(() => {
      throw new Error('respond is provided by the call runtime');
    }),
  },
  actions: {
    greet: () => {},
    askStillThere: () => {},
    offerHuman: () => {},
    explainNoTransfer: () => {},
    apologise: () => {},
    truncateReply: (_, _params: { heard: string }) => {},
    startTransfer: () => {},
    sayGoodbye: (_, _params: { reason: string }) => {},
    hangUp: () => {},
    finish: (_, _params: { reason: string }) => {},
    focusProperty: assign({
      propertyId: ({ context, event }) => (event.type === 'PROPERTY.FOCUSED' ? event.propertyId : context.propertyId),
    }),
  },
  guards: {
    tooManyMisunderstandings: ({ context }) => context.misunderstood >= context.maxMisunderstandings,
    hasProperty: ({ context }) => context.propertyId !== null,
    canTransfer: ({ context }) => context.canTransfer,
    isZero: ({ event }) => event.type === 'CALLER.DTMF' && event.digit === '0',
  },
  delays: {
    silence: ({ context }) => context.silenceMs + context.lastReplyMs,
    maxDuration: ({ context }) => context.maxDurationMs,
    goodbye: ({ context }) => context.goodbyeMs,
  },
}).createMachine({
  id: 'receptionist',
  context: ({ input }) => ({
    ...input,
    misunderstood: 0,
    propertyId: null,
    turns: 0,
    lastReplyMs: 0,
    utterance: '',
    endReason: null,
    phase: 'triage' as Phase,
  }),
  initial: 'greeting',
  on: {
    'CALLER.HUNG_UP': {
      target: '.ended',
      actions: assign({ endReason: ({ context }) => context.endReason ?? 'caller_hung_up' }),
    },
  },
  states: {
    greeting: {
      entry: 'greet',
      always: 'live',
    },
    live: {
      type: 'parallel',
      after: {
        maxDuration: { target: 'closing', actions: assign({ endReason: 'max_duration' }) },
      },
      on: {
        'TRANSFER.REQUESTED': [{ guard: 'canTransfer', target: 'transferring' }, { actions: 'explainNoTransfer' }],
        'PROPERTY.FOCUSED': { actions: 'focusProperty' },
        'END.REQUESTED': { target: 'closing', actions: assign({ endReason: ({ event }) => event.reason }) },
      },
      states: {
        dialogue: {
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
        },
        turn: {
          initial: 'listening',
          on: {
            'CALLER.DTMF': { guard: 'isZero', actions: raise({ type: 'TRANSFER.REQUESTED' }) },
          },
          states: {
            listening: {
              on: { 'CALLER.SAID': 'responding' },
              after: { silence: 'checkingIn' },
            },
            checkingIn: {
              entry: 'askStillThere',
              on: { 'CALLER.SAID': 'responding' },
              after: {
                silence: {
                  actions: raise({ type: 'END.REQUESTED', reason: 'silence' }),
                },
              },
            },
            responding: {
              entry: assign({
                utterance: ({ event }) => (event.type === 'CALLER.SAID' ? event.text : ''),
                turns: ({ context }) => context.turns + 1,
              }),
              invoke: {
                src: 'respond',
                input: ({ context }) => ({ text: context.utterance, phase: context.phase }),
                onDone: {
                  target: 'listening',
                  actions: [
                    assign({
                      misunderstood: ({ context, event }) => (event.output.understood ? 0 : context.misunderstood + 1),
                      propertyId: ({ context, event }) => event.output.propertyId ?? context.propertyId,
                      lastReplyMs: ({ event }) => event.output.replyMs,
                    }),
                    enqueueActions(({ event, enqueue }) => {
                      enqueue.raise({ type: 'TURN.COMPLETED', output: event.output });
                      if (event.output.directive === 'transfer') enqueue.raise({ type: 'TRANSFER.REQUESTED' });
                      if (event.output.directive === 'end') enqueue.raise({ type: 'END.REQUESTED', reason: 'goodbye' });
                    }),
                  ],
                },
                onError: { target: 'listening', actions: 'apologise' },
              },
              on: {
                // A new utterance while answering replaces the turn (the invoked respond is stopped).
                'CALLER.SAID': { target: 'responding', reenter: true },
                'CALLER.INTERRUPTED': {
                  target: 'listening',
                  actions: { type: 'truncateReply', params: ({ event }) => ({ heard: event.heard }) },
                },
              },
            },
          },
        },
      },
    },
    transferring: {
      entry: [assign({ endReason: 'transferred' }), 'startTransfer'],
    },
    closing: {
      entry: {
        type: 'sayGoodbye',
        params: ({ context }) => ({ reason: context.endReason ?? 'goodbye' }),
      },
      after: { goodbye: { target: 'ended', actions: 'hangUp' } },
    },
    ended: {
      type: 'final',
      entry: { type: 'finish', params: ({ context }) => ({ reason: context.endReason ?? 'ended' }) },
    },
  },
});

/** "live.property.listening" style name of a snapshot value, for events and logs. */
export function stateName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  if ('live' in value) {
    const live = (value as { live: { dialogue: string; turn: string } }).live;
    return `${live.dialogue}.${live.turn}`;
  }
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}.${stateName(v)}`)
    .join(',');
}
