import { EventEmitter } from 'node:events';
import type { Conversation } from './conversation.ts';

/**
 * What the call runtime reports while a call runs, in order. Served live as Server-Sent Events on
 * `GET /api/calls/events?call_sid=…` (event name = `type`, data = the JSON object) and used by the softphone
 * and the console. `at` is an ISO 8601 instant. A turn or tool event's `seq` is its turn's place in the call's
 * transcript (the stored turn's `seq`): an event and a stored turn with the same seq are one line, and an agent
 * turn the caller cut short comes again with its seq, `interrupted` and the text they heard.
 */
export type CallEvent =
  /**
   * A call session began, before its first state or turn: a new call, or a new session on a call already
   * seen (the receptionist taking over from voice commands, a session resumed from its snapshot); key calls by
   * callSid. `from`/`to` are the call's numbers ('' on a console test call); `kind` is who answers.
   */
  | {
      type: 'started';
      callSid: string;
      at: string;
      direction: 'inbound' | 'outbound';
      from: string;
      to: string;
      kind: Conversation['kind'];
    }
  | { type: 'state'; callSid: string; at: string; value: string }
  | {
      type: 'turn';
      callSid: string;
      at: string;
      seq: number;
      role: 'caller' | 'agent';
      text: string;
      interrupted?: boolean;
    }
  | {
      type: 'tool';
      callSid: string;
      at: string;
      seq: number;
      name: string;
      arguments: Record<string, unknown>;
      ok: boolean;
      /** The tool's voice_summary, or the error message. */
      summary: string;
      durationMs: number;
    }
  | { type: 'ended'; callSid: string; at: string; reason: string; outcome: string | null };

/** In-process fan-out of call events, by agent (all their calls) and by call. */
export class CallEventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(agentId: number, event: CallEvent): void {
    this.emitter.emit(`agent:${agentId}`, event);
    this.emitter.emit(`call:${event.callSid}`, event);
  }

  subscribeAgent(agentId: number, listener: (e: CallEvent) => void): () => void {
    return this.on(`agent:${agentId}`, listener);
  }

  subscribeCall(callSid: string, listener: (e: CallEvent) => void): () => void {
    return this.on(`call:${callSid}`, listener);
  }

  private on(key: string, listener: (e: CallEvent) => void): () => void {
    this.emitter.on(key, listener);
    return () => this.emitter.off(key, listener);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A call event before the runtime stamps it with the call and the time. */
export type CallEventBody = DistributiveOmit<CallEvent, 'callSid' | 'at'>;
