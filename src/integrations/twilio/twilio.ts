import twilio from 'twilio';

/** Twilio's X-Twilio-Signature check (HMAC-SHA1 over the public URL and the sorted form params). */
export function verifyTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Record<string, string>,
): boolean {
  if (!signature || !authToken) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}

/** The signature Twilio would send; used by the local softphone and tests to play Twilio. */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export interface ConnectOptions {
  transport: 'conversation-relay' | 'media-stream';
  /** wss:// URL of our WebSocket endpoint. */
  url: string;
  /** Spoken by Twilio when the relay connects (ConversationRelay only). */
  welcomeGreeting?: string;
  /** Where Twilio asks for the TwiML that follows: <Connect action> (relay, with HandoffData) or a <Redirect> after the stream. */
  action?: string;
  /** TTS voice id (ConversationRelay). */
  voice?: string;
  parameters: Record<string, string>;
}

/** TwiML that connects the call to our runtime over ConversationRelay or a bidirectional Media Stream. */
export function connectTwiml(opts: ConnectOptions): string {
  const response = new twilio.twiml.VoiceResponse();
  const connect = response.connect(
    opts.action && opts.transport === 'conversation-relay' ? { action: opts.action } : {},
  );
  if (opts.transport === 'conversation-relay') {
    const relay = connect.conversationRelay({
      url: opts.url,
      ...(opts.welcomeGreeting ? { welcomeGreeting: opts.welcomeGreeting } : {}),
      interruptible: 'any',
      dtmfDetection: true,
      ttsProvider: 'ElevenLabs',
      voice: opts.voice ?? '21m00Tcm4TlvDq8ikWAM',
    });
    for (const [name, value] of Object.entries(opts.parameters)) relay.parameter({ name, value });
  } else {
    const stream = connect.stream({ url: opts.url });
    for (const [name, value] of Object.entries(opts.parameters)) stream.parameter({ name, value });
    // <Connect><Stream> blocks until our socket closes; then Twilio asks what comes next.
    if (opts.action) response.redirect({ method: 'POST' }, opts.action);
  }
  return response.toString();
}

/** TwiML that says something and hangs up (e.g. a number nobody registered). */
export function sayAndHangUpTwiml(text: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(text);
  response.hangup();
  return response.toString();
}

/** TwiML that rings a person: `<Dial>` with a whispered summary for the callee and a status callback. */
export function dialTwiml(opts: {
  to: string;
  callerId?: string;
  action: string;
  whisperUrl: string;
  timeoutS?: number;
}): string {
  const response = new twilio.twiml.VoiceResponse();
  const dial = response.dial({
    action: opts.action,
    timeout: opts.timeoutS ?? 20,
    ...(opts.callerId ? { callerId: opts.callerId } : {}),
  });
  dial.number({ url: opts.whisperUrl }, opts.to);
  return response.toString();
}

/** TwiML that only says something (whisper to the callee; the call continues). */
export function sayTwiml(text: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(text);
  return response.toString();
}

/** TwiML that hangs up. */
export function hangUpTwiml(): string {
  const response = new twilio.twiml.VoiceResponse();
  response.hangup();
  return response.toString();
}
