import { createActor, fromPromise, type Actor, type Snapshot } from 'xstate';
import type {
  ConversationInput,
  OptOutSource,
  PinVerdict,
  TurnInput,
  TurnOutput,
} from '../../state-machines/conversation.ts';
import type { receptionistMachine } from '../../state-machines/receptionist.machine.ts';
import type { CallSettings } from './call-session.ts';
import type { Conversation } from './conversation.ts';

/**
 * Binds a conversation's machine to its session: the machine's input from the call settings, and its named
 * actors and effects to the session's work (the persona line each spoken effect says).
 */

/** The persona's goodbye line for each way the machine ends the call. */
function goodbyeLine(reason: string): string {
  return reason === 'silence'
    ? 'silenceGoodbye'
    : reason === 'max_duration'
      ? 'maxDurationGoodbye'
      : reason === 'opted_out'
        ? 'optOut'
        : reason === 'pin_failed' || reason === 'pin_locked'
          ? 'pinGoodbye'
          : 'goodbye';
}

/** What the session does for its machine. */
export interface SessionEffects {
  /** Answers one caller turn (the `respond` actor). */
  answer(turn: TurnInput, signal: AbortSignal): Promise<TurnOutput>;
  recordOptOut(source: OptOutSource): Promise<void>;
  greet(): void;
  /** Says the persona's line `key`. */
  sayLine(key: string): void;
  startTransfer(): void;
  /** Says the persona's goodbye line `key` and lets it play before the call ends. */
  sayGoodbye(key: string): void;
  /** The receptionist takes the call over (a realtor on their own line who gave no PIN). */
  handOver(callerSaid?: string): void;
  hangUp(): void;
  finish(reason: string): void;
  /** How long the goodbye takes to play. */
  goodbyeMs(): number;
}

/**
 * The conversation's machine as an actor (not started), restored from its stored snapshot when there is one.
 * Typed as the receptionist's: the machines share context, events and effects.
 */
export function sessionActor(
  conversation: Conversation,
  call: { settings: CallSettings; carrierHandlesSilence: boolean; canTransfer: boolean },
  effects: SessionEffects,
  restored?: Snapshot<unknown>,
): Actor<typeof receptionistMachine> {
  const { settings } = call;
  const input: ConversationInput = {
    // Past the maximum duration: a carrier that handles silence ends the call before this fires.
    silenceMs: call.carrierHandlesSilence ? settings.maxDurationMs + 1 : settings.silenceMs,
    maxDurationMs: settings.maxDurationMs,
    maxMisunderstandings: settings.maxMisunderstandings,
    goodbyeMs: 0,
    canTransfer: call.canTransfer,
    ...(conversation.authenticated ? { authenticated: true } : {}),
  };
  const machine = (conversation.machine as typeof receptionistMachine).provide({
    actors: {
      respond: fromPromise<TurnOutput, TurnInput>(({ input: turn, signal }) => effects.answer(turn, signal)),
      recordOptOut: fromPromise<void, { source: OptOutSource }>(({ input }) => effects.recordOptOut(input.source)),
      checkPin: fromPromise<PinVerdict, { pin: string }>(
        ({ input }) => conversation.voiceCommands?.verifyPin(input.pin) ?? Promise.resolve({ ok: false, locked: true }),
      ),
    },
    actions: {
      greet: () => effects.greet(),
      askStillThere: () => effects.sayLine('stillThere'),
      offerHuman: () => effects.sayLine('offerHuman'),
      explainNoTransfer: () => effects.sayLine('noTransferNumber'),
      apologise: () => effects.sayLine('apology'),
      startTransfer: () => effects.startTransfer(),
      sayGoodbye: (_, { reason }) => effects.sayGoodbye(goodbyeLine(reason)),
      confirmOptOut: () => effects.sayGoodbye('optOut'),
      askPin: () => effects.sayLine('pinRetry'),
      welcome: () => effects.sayLine('welcome'),
      // Words said instead of a PIN go with the call; anything with a digit in it might be a PIN and does not.
      handOver: ({ context }) => effects.handOver(/\d/.test(context.pin) ? undefined : context.pin.trim() || undefined),
      hangUp: () => effects.hangUp(),
      finish: (_, { reason }) => effects.finish(reason),
    },
    delays: {
      goodbye: () => effects.goodbyeMs(),
    },
  });
  return createActor(machine, { input, ...(restored ? { snapshot: restored as never } : {}) });
}
