/** The errors a softphone call throws: media-stream TwiML, talking on an ended call, no reply in time. */

/** The server answered with `<Connect><Stream>`: VOICE_TRANSPORT is media-stream. */
export class UnsupportedTransportError extends Error {
  constructor() {
    super(
      'the server answered with <Connect><Stream> (Media Streams, audio). The softphone speaks ConversationRelay ' +
        '(text) only: start the server with VOICE_TRANSPORT=conversation-relay.',
    );
    this.name = 'UnsupportedTransportError';
  }
}

/** say/dtmf/interrupt on a call whose relay session is over. */
export class CallEndedError extends Error {
  constructor(detail: string) {
    super(`no relay session to talk to: ${detail}`);
    this.name = 'CallEndedError';
  }
}

export class ReplyTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly partial: string,
  ) {
    super(
      `no complete agent reply within ${timeoutMs / 1000} s${partial ? ` (received so far: ${JSON.stringify(partial)})` : ''}`,
    );
    this.name = 'ReplyTimeoutError';
  }
}
