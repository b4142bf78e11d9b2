import { assign, fromPromise, raise, setup } from 'xstate';

/**
 * What every phone conversation machine shares (the inbound receptionist, the outbound campaign call): its
 * events, the effects the call runtime provides by name, the guards and delays, the turn loop
 * (listening ⇄ responding, "are you still there?"), the greeting, the `live` state around the dialogue (transfer,
 * property focus, end, maximum duration) and the closing states. Each machine adds its own dialogue states.
 */

/** What the runtime's `respond` actor reports after one caller turn. */
export interface TurnOutput {
  /** The caller's words were understood (an intent was recognised or a tool was used). */
  understood: boolean;
  /** The property the conversation is now about, when the turn identified one. */
  propertyId: number | null;
  /** What the turn asks the call to do next ('confirm': a change waits for the caller's yes). */
  directive: 'continue' | 'transfer' | 'end' | 'confirm';
  /** Estimated playback time of the reply, so the silence timer starts when the caller has heard it. */
  replyMs: number;
}

export interface TurnInput {
  text: string;
  phase: string;
}

export interface ConversationInput {
  /** Silence after the reply has played before "are you still there?" (and again before ending). */
  silenceMs: number;
  maxDurationMs: number;
  /** Misunderstood turns in a row before a human is offered. */
  maxMisunderstandings: number;
  /** Time to let the goodbye play before hanging up. */
  goodbyeMs: number;
  /** The agent has a number to transfer to. */
  canTransfer: boolean;
  /** Voice commands: the caller is already known to be the agent (signed in to the console): no PIN. */
  authenticated?: boolean;
}

export interface ConversationContext extends ConversationInput {
  misunderstood: number;
  propertyId: number | null;
  turns: number;
  lastReplyMs: number;
  utterance: string;
  endReason: string | null;
  /** The dialogue state the brain works in (its tools and guidance). */
  phase: string;
  /** A campaign call's dialogue steps (empty for the receptionist) and the one it is on. */
  steps: string[];
  step: number;
  /** Voice commands: the PIN as keyed or said so far, and the wrong PINs in this call. */
  pin: string;
  pinTries: number;
}

/** The runtime's answer to a PIN (voice commands). */
export interface PinVerdict {
  ok: boolean;
  /** Voice commands are locked for this agent (too many wrong PINs). */
  locked: boolean;
  /** What was said holds no PIN at all (the realtor wants something else: the receptionist takes the call). */
  noPin?: boolean;
}

export type OptOutSource = 'opt_out_spoken' | 'opt_out_keyed';

export type ConversationEvent =
  | { type: 'CALLER.SAID'; text: string }
  | { type: 'CALLER.INTERRUPTED'; heard: string }
  | { type: 'CALLER.DTMF'; digit: string }
  | { type: 'CALLER.HUNG_UP' }
  /** The person asked not to be called again (words recognised by the runtime, or a key). */
  | { type: 'CALLER.OPTED_OUT'; source: OptOutSource }
  | { type: 'PROPERTY.FOCUSED'; propertyId: number }
  | { type: 'TRANSFER.REQUESTED' }
  | { type: 'END.REQUESTED'; reason: string }
  | { type: 'TURN.COMPLETED'; output: TurnOutput };

/**
 * The `respond` actor's result (the event of its onDone actions).
 * Actions are typed against the machine's own events, so the done event is read here once, by its shape.
 */
function turnOf(event: unknown): TurnOutput {
  return (event as { output: TurnOutput }).output;
}

export const conversation = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as ConversationEvent,
    input: {} as ConversationInput & { steps?: string[] },
  },
  actors: {
    respond: fromPromise<TurnOutput, TurnInput>(() => {
      throw new Error('respond is provided by the call runtime');
    }),
    /** Puts the number on the do-not-call list (campaign calls); the confirmation waits for it. */
    recordOptOut: fromPromise<void, { source: OptOutSource }>(() => {
      throw new Error('recordOptOut is provided by the call runtime');
    }),
    /** Checks a PIN (keyed digits, or the words said) for voice commands. */
    checkPin: fromPromise<PinVerdict, { pin: string }>(() => {
      throw new Error('checkPin is provided by the call runtime');
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
    /** Tell the person they are off the list, and goodbye (campaign calls). */
    confirmOptOut: () => {},
    /** Voice commands: ask for the PIN (again: `retry`), and welcome the agent once it is right. */
    askPin: (_, _params: { retry: boolean }) => {},
    welcome: () => {},
    /** Hand the call to the receptionist (the realtor gave no PIN): say so and end this conversation. */
    handOver: () => {},
    hangUp: () => {},
    finish: (_, _params: { reason: string }) => {},
    /** A turn's result into the context (misunderstandings, property, reply length). */
    noteTurn: assign({
      misunderstood: ({ context, event }) => (turnOf(event).understood ? 0 : context.misunderstood + 1),
      propertyId: ({ context, event }) => turnOf(event).propertyId ?? context.propertyId,
      lastReplyMs: ({ event }) => turnOf(event).replyMs,
    }),
    /** TURN.COMPLETED for both regions: the dialogue moves on, the turn region acts on the directive. */
    announceTurn: raise(({ event }) => ({ type: 'TURN.COMPLETED' as const, output: turnOf(event) })),
    focusProperty: assign({
      propertyId: ({ context, event }) => (event.type === 'PROPERTY.FOCUSED' ? event.propertyId : context.propertyId),
    }),
  },
  guards: {
    tooManyMisunderstandings: ({ context }) => context.misunderstood >= context.maxMisunderstandings,
    hasProperty: ({ context }) => context.propertyId !== null,
    canTransfer: ({ context }) => context.canTransfer,
    isZero: ({ event }) => event.type === 'CALLER.DTMF' && event.digit === '0',
    isNine: ({ event }) => event.type === 'CALLER.DTMF' && event.digit === '9',
    wantsTransfer: ({ event }) => event.type === 'TURN.COMPLETED' && event.output.directive === 'transfer',
    wantsEnd: ({ event }) => event.type === 'TURN.COMPLETED' && event.output.directive === 'end',
    wantsConfirm: ({ event }) => event.type === 'TURN.COMPLETED' && event.output.directive === 'confirm',
    /** The turn was understood and the call goes on: the current step has its answer. */
    answered: ({ event }) =>
      event.type === 'TURN.COMPLETED' && event.output.understood && event.output.directive === 'continue',
  },
  delays: {
    silence: ({ context }) => context.silenceMs + context.lastReplyMs,
    maxDuration: ({ context }) => context.maxDurationMs,
    goodbye: ({ context }) => context.goodbyeMs,
  },
});

/** The initial context from the input; `phase` starts on the first step (or "triage"). */
export function initialContext(input: ConversationInput & { steps?: string[] }): ConversationContext {
  const steps = input.steps ?? [];
  return {
    ...input,
    misunderstood: 0,
    propertyId: null,
    turns: 0,
    lastReplyMs: 0,
    utterance: '',
    endReason: null,
    phase: steps[0] ?? 'triage',
    steps,
    step: 0,
    pin: '',
    pinTries: 0,
  };
}

/**
 * The turn region: listening ⇄ responding (the runtime's `respond` actor runs one caller turn), checking in
 * after silence, "0" asks for a person. Every turn raises TURN.COMPLETED: the dialogue region moves on, and this
 * region turns the directive into TRANSFER.REQUESTED or END.REQUESTED.
 */
export const turnRegion = conversation.createStateConfig({
  initial: 'listening',
  on: {
    'CALLER.DTMF': { guard: 'isZero', actions: conversation.raise({ type: 'TRANSFER.REQUESTED' }) },
  },
  states: {
    listening: {
      on: {
        'CALLER.SAID': 'responding',
        'TURN.COMPLETED': [
          { guard: 'wantsTransfer', actions: conversation.raise({ type: 'TRANSFER.REQUESTED' }) },
          { guard: 'wantsEnd', actions: conversation.raise({ type: 'END.REQUESTED', reason: 'goodbye' }) },
        ],
      },
      after: { silence: 'checkingIn' },
    },
    checkingIn: {
      entry: 'askStillThere',
      on: { 'CALLER.SAID': 'responding' },
      after: {
        silence: {
          actions: conversation.raise({ type: 'END.REQUESTED', reason: 'silence' }),
        },
      },
    },
    responding: {
      entry: conversation.assign({
        utterance: ({ event }) => (event.type === 'CALLER.SAID' ? event.text : ''),
        turns: ({ context }) => context.turns + 1,
      }),
      invoke: {
        src: 'respond',
        input: ({ context }) => ({ text: context.utterance, phase: context.phase }),
        onDone: {
          target: 'listening',
          actions: ['noteTurn', 'announceTurn'],
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
});

/** The caller hung up, whatever the call was doing: it ends (keeping a reason already given). */
export const callerHungUp = {
  target: '.ended',
  actions: conversation.assign({ endReason: ({ context }) => context.endReason ?? 'caller_hung_up' }),
} as const;

/** The call reached its maximum duration: the goodbye. */
export const maxDurationReached = {
  target: 'closing',
  actions: conversation.assign({ endReason: 'max_duration' }),
} as const;

/** A dialogue region's state config (the states a machine adds between greeting and closing). */
export type DialogueConfig = ReturnType<typeof conversation.createStateConfig>;

/** Greets the caller and goes straight to `live`. */
export const greetingState = conversation.createStateConfig({
  entry: 'greet',
  always: 'live',
});

/**
 * The call in progress: the machine's `dialogue` region beside the shared turn region, ended by the maximum
 * duration. A transfer goes ahead when the agent has a number (it is explained otherwise), a property named on
 * the call comes into focus, and END.REQUESTED says goodbye with its reason.
 */
export function liveState<Dialogue extends DialogueConfig>(dialogue: Dialogue) {
  return conversation.createStateConfig({
    type: 'parallel',
    after: {
      maxDuration: maxDurationReached,
    },
    on: {
      'TRANSFER.REQUESTED': [{ guard: 'canTransfer', target: 'transferring' }, { actions: 'explainNoTransfer' }],
      'PROPERTY.FOCUSED': { actions: 'focusProperty' },
      'END.REQUESTED': { target: 'closing', actions: assign({ endReason: ({ event }) => event.reason }) },
    },
    states: {
      dialogue,
      turn: turnRegion,
    },
  });
}

/** The states after the dialogue: transferring, saying goodbye, ended. */
export const closingStates = {
  transferring: conversation.createStateConfig({
    entry: [conversation.assign({ endReason: 'transferred' }), 'startTransfer'],
  }),
  closing: conversation.createStateConfig({
    entry: { type: 'sayGoodbye', params: ({ context }) => ({ reason: context.endReason ?? 'goodbye' }) },
    after: { goodbye: { target: 'ended', actions: 'hangUp' } },
  }),
  ended: conversation.createStateConfig({
    type: 'final',
    entry: { type: 'finish', params: ({ context }) => ({ reason: context.endReason ?? 'ended' }) },
  }),
};

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
