import type { ResponseCreateEvent, RealtimeResponseCreateParams } from 'openai/resources/realtime/realtime';

/**
 * The responses of a Realtime conversation: only one may be active at a time
 * (`conversation_already_has_active_response`), so the ones we ask for wait in a queue and go out one by one.
 * Responses we create carry `metadata.client_ref`, which the server echoes in `response.created`/`response.done`,
 * so ours are told apart from the ones server VAD creates by itself. Also tracks the function calls still waiting
 * for their output.
 */

/** Metadata key of the responses this client creates (echoed by the server). */
const REF_KEY = 'client_ref';
const ACTIVE_RESPONSE = 'conversation_already_has_active_response';

export interface PendingResponse {
  ref: string;
  eventId: string;
  kind: 'tool' | 'say' | 'commit' | 'turn';
  params: RealtimeResponseCreateParams;
  metadata: Record<string, string>;
  /** `interrupt` came while it was on its way: cancel it as soon as it exists. */
  cancelled: boolean;
}

export class ResponseQueue {
  private activeResponseId: string | null = null;
  private inFlight: PendingResponse | null = null;
  /** The last `response.create` sent, until refused or another is sent. */
  private lastCreate: PendingResponse | null = null;
  private queue: PendingResponse[] = [];
  private readonly pendingToolCalls = new Set<string>();

  /** The response being generated (ours or one server VAD started), once the server said it exists. */
  get active(): string | null {
    return this.activeResponseId;
  }

  /** A response is being generated or our `response.create` is on its way. */
  get responding(): boolean {
    return this.activeResponseId !== null || this.inFlight !== null;
  }

  add(pending: PendingResponse): void {
    this.queue.push(pending);
  }

  /** The `response.create` to send next, if none is active or on its way. */
  next(): ResponseCreateEvent | null {
    if (this.inFlight || this.activeResponseId) return null;
    const next = this.queue.shift();
    if (!next) return null;
    this.inFlight = next;
    this.lastCreate = next;
    return {
      type: 'response.create',
      event_id: next.eventId,
      response: { ...next.params, metadata: { ...next.metadata, [REF_KEY]: next.ref } },
    };
  }

  /** Marks the response on its way (if any) to be cancelled once it exists. */
  cancelInFlight(): void {
    if (this.inFlight) this.inFlight.cancelled = true;
  }

  /**
   * `response.created`: the response is now the active one. Returns ours when it is the one in flight, by the
   * echoed ref; a server that echoed no metadata at all gets first-in-first-out (a VAD response mistaken for ours
   * is repaired when our create is refused, see `refused`).
   */
  created(responseId: string, metadata: Record<string, string> | null | undefined): PendingResponse | null {
    const ours = this.inFlight && (metadata ? metadata[REF_KEY] === this.inFlight.ref : true) ? this.inFlight : null;
    if (ours) this.inFlight = null;
    this.activeResponseId = responseId;
    return ours;
  }

  /** `response.done`. */
  done(responseId: string): void {
    if (this.activeResponseId === responseId) this.activeResponseId = null;
  }

  /**
   * The server refused a client event (`eventId`, when it said which): if it was one of our creates (the one in
   * flight, or one a metadata-less `response.created` was taken for), it is taken off and returned; refused because
   * server VAD started an answer first, it goes back to the head of the queue, out after that answer.
   */
  refused(eventId: string | null, code: string | null): PendingResponse | null {
    const pending = eventId
      ? ([this.inFlight, this.lastCreate].find((p) => p?.eventId === eventId) ?? null)
      : code === ACTIVE_RESPONSE
        ? this.inFlight
        : null;
    if (!pending) return null;
    if (this.inFlight === pending) this.inFlight = null;
    this.lastCreate = null;
    if (code === ACTIVE_RESPONSE) this.queue.unshift(pending);
    return pending;
  }

  /** A function call of a response waits for its output. */
  toolCalled(callId: string): void {
    this.pendingToolCalls.add(callId);
  }

  /** A function call got its output; true when none is left waiting and no tool response is queued yet. */
  toolAnswered(callId: string): boolean {
    this.pendingToolCalls.delete(callId);
    return !this.pendingToolCalls.size && !this.queue.some((p) => p.kind === 'tool');
  }

  /** Forgets the responses not sent yet. */
  clearQueue(): void {
    this.queue = [];
  }

  /** The socket is gone: nothing is queued, in flight or active any more. */
  reset(): void {
    this.queue = [];
    this.inFlight = null;
    this.activeResponseId = null;
  }
}
