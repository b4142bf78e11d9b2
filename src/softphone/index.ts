/**
 * The softphone: plays Twilio (inbound call, ConversationRelay) against our server, for people
 * (`npm run call`) and for tests.
 *
 *   const call = await placeCall({ authToken, server: 'http://127.0.0.1:3000', apiKey });
 *   const reply = await call.say('Is 12 Oak Street still available?');
 *   await call.hangup();
 *
 *   const result = await runScript('say: hello\nexpect: /help/i\nhangup', { authToken, server });
 *   if (!result.ok) console.log(result.failures);
 */
export {
  placeCall,
  SoftphoneCall,
  CallEndedError,
  ReplyTimeoutError,
  UnsupportedTransportError,
  MS_PER_WORD,
  SIMULATED_TALK_SECONDS,
  type CallEnd,
  type PlaceCallOptions,
} from './call.ts';
export { runScript, EVENT_GRACE_MS, type ScriptFailure, type ScriptResult } from './run-script.ts';
export { parseScript, ScriptSyntaxError, SCRIPT_HELP, type Directive, type ScriptProblem } from './script.ts';
export { parseMatcher, matches, describeMatcher, type Matcher } from './match.ts';
export { parseTwiml, resolveTwimlUrl, TwimlError, type TwimlVerb, type DialVerb, type DialTarget } from './twiml.ts';
export { formatEntry, isShown, type TranscriptEntry } from './transcript.ts';
export type { CallEvent } from '../call-runtime/call-events.ts';
export { describeRelayEnd, RelaySession, type RelayEnd, type SetupMessage } from './relay-session.ts';
export { WebhookError, routeToServer } from './webhooks.ts';
export {
  resolveAuthToken,
  resolveApiKey,
  SoftphoneConfigError,
  TRANSFER_OUTCOMES,
  type TransferOutcome,
} from './options.ts';
