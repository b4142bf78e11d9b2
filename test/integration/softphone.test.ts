import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  placeCall,
  RelaySession,
  runScript,
  UnsupportedTransportError,
  type PlaceCallOptions,
  type TranscriptEntry,
} from '../../src/softphone/index.ts';
import {
  FAKE_LINES,
  HUMAN_NUMBER,
  startFakeRelayServer,
  type FakeRelayServer,
} from '../fakes/relay/fake-relay-server.ts';
import { exitCode, ROOT } from '../helpers/process.ts';

const TOKEN = 'test-twilio-auth-token-0123456789';
const API_KEY = 'rk_test_softphone';
const PUBLIC = 'https://voice.example.test';

let fake: FakeRelayServer;
let opts: PlaceCallOptions;

beforeAll(async () => {
  fake = await startFakeRelayServer({ authToken: TOKEN, apiKey: API_KEY, publicUrl: PUBLIC });
  opts = { authToken: TOKEN, server: fake.url, publicUrl: PUBLIC, apiKey: API_KEY, replyTimeoutMs: 5_000 };
});
afterAll(async () => {
  await fake?.close();
});

const webhooksOf = (callSid: string | undefined) => fake.webhooks.filter((w) => w.params.CallSid === callSid);
const messagesOf = (callSid: string | undefined) => {
  const setup = fake.relayMessages.findIndex((m) => m.type === 'setup' && m.callSid === callSid);
  const next = fake.relayMessages.findIndex((m, i) => i > setup && m.type === 'setup');
  return fake.relayMessages.slice(setup, next === -1 ? undefined : next);
};

const FULL_SCRIPT = `# the whole path: greeting, turns, tools, states, keys, barge-in, silence, transfer
expect-greeting: /virtual assistant/i
say: Hello there
expect: you said: hello there
expect-state: listening
say: Can I book a viewing?
expect: booked for saturday
expect-tool: schedule_viewing ok
expect-no-tool: send_sms
dtmf: 5
expect: You pressed 5
interrupt: 2
say: hold on
wait: 1
expect: /still there\\?$/
say: transfer me please
expect: connect you
expect-end: could not take your call
`;

describe('softphone against a fake ConversationRelay server', () => {
  it('plays a whole script: turns, tool and state events, dtmf, interrupt, silence and a transfer nobody answers', async () => {
    const result = await runScript(FULL_SCRIPT, opts);
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.end).toMatchObject({
      reason: 'twiml-hangup',
      relay: { kind: 'end' },
      spoken: ['Sorry, Dana could not take your call. She will call you back.'],
    });
    expect(JSON.parse(result.end!.handoffData!)).toEqual({ reason: 'transfer', to: HUMAN_NUMBER });
    expect(result.transcript).toEqual(
      expect.arrayContaining([
        "agent> Thanks for calling Lone Star Demo Realty. I'm Dana's virtual assistant. How can I help?",
        'you> Hello there',
        'agent> You said: Hello there',
        '  [tool] schedule_viewing ok — Viewing booked for Saturday 10 AM',
        '  [state] listening',
        'agent> Are you still there?',
        `  [transfer] dialing ${HUMAN_NUMBER} (rings up to 20 s): simulated no-answer`,
        '  [say] Sorry, Dana could not take your call. She will call you back.',
      ]),
    );
    expect(result.events.some((e) => e.type === 'ended')).toBe(true);
    expect(fake.subscriptions).toContain(result.callSid);

    // Every request was signed for the public URL, and went to the fake (not to voice.example.test).
    const hooks = webhooksOf(result.callSid);
    expect(hooks.map((w) => w.path)).toEqual([
      '/twilio/voice',
      '/twilio/relay-action',
      '/twilio/dial-status',
      '/twilio/status',
    ]);
    expect(hooks.every((w) => w.signatureValid)).toBe(true);
    expect(fake.upgrades.at(-1)).toEqual({ path: '/twilio/relay', signatureValid: true });
    const [voice, action, dialStatus, status] = hooks;
    expect(voice!.params).toMatchObject({
      CallSid: expect.stringMatching(/^CA[0-9a-f]{32}$/),
      AccountSid: expect.stringMatching(/^AC[0-9a-f]{32}$/),
      From: '+15125550123',
      To: FAKE_LINES.agent,
      CallStatus: 'ringing',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
    });
    expect(action!.params).toMatchObject({
      CallStatus: 'in-progress',
      SessionId: expect.stringMatching(/^VX[0-9a-f]{32}$/),
      SessionStatus: 'ended',
      HandoffData: result.end!.handoffData,
    });
    expect(dialStatus!.params).toMatchObject({ DialCallStatus: 'no-answer', DialCallDuration: '0' });
    expect(status!.params).toMatchObject({ CallStatus: 'completed', CallDuration: expect.stringMatching(/^\d+$/) });

    // What the "Twilio" side sent on the socket.
    const sent = messagesOf(result.callSid);
    expect(sent[0]).toMatchObject({
      type: 'setup',
      callSid: result.callSid,
      from: '+15125550123',
      to: FAKE_LINES.agent,
      direction: 'inbound',
      callType: 'PSTN',
      callStatus: 'RINGING',
      customParameters: { callToken: expect.any(String), agentId: '7' },
    });
    expect(sent).toContainEqual({ type: 'prompt', voicePrompt: 'Hello there', lang: 'en-US', last: true });
    expect(sent).toContainEqual({ type: 'dtmf', digit: '5' });
    expect(sent).toContainEqual({
      type: 'interrupt',
      utteranceUntilInterrupt: 'You pressed',
      durationUntilInterruptMs: 700,
    });
  });

  it('simulates an answered transfer: whisper to the human, then the dial action', async () => {
    const entries: TranscriptEntry[] = [];
    const result = await runScript('say: transfer me\nexpect-end: /ended the session/', {
      ...opts,
      transfer: 'answered',
      onEntry: (e) => entries.push(e),
    });
    expect(result.failures).toEqual([]);
    expect(result.transcript).toEqual(
      expect.arrayContaining([
        '  [whisper to agent] Transferred call from your line: a buyer.',
        '  [connected to a human]',
      ]),
    );
    expect(entries.map((e) => e.kind)).toEqual(expect.arrayContaining(['whisper', 'connected', 'end']));
    const whisper = fake.webhooks.find(
      (w) => w.path === '/twilio/whisper' && w.params.ParentCallSid === result.callSid,
    );
    expect(whisper).toMatchObject({
      signatureValid: true,
      params: { CallStatus: 'in-progress', To: HUMAN_NUMBER, From: FAKE_LINES.agent },
    });
    expect(whisper!.params.CallSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(whisper!.params.CallSid).not.toBe(result.callSid);
    const dial = webhooksOf(result.callSid).find((w) => w.path === '/twilio/dial-status');
    expect(dial!.params).toMatchObject({ DialCallStatus: 'completed', DialCallDuration: '30' });
    expect(dial!.params.DialCallSid).toBe(whisper!.params.CallSid);
    expect(result.end).toMatchObject({ reason: 'twiml-hangup' });
  });

  it('reports failed expectations with their line, keeps going, and stops when the call is over', async () => {
    const script = [
      'say: hello', // 1
      'expect: goodbye', // 2  fails
      'expect-not: /hello/i', // 3  fails
      'expect-tool: schedule_viewing', // 4  fails (no tool event for this turn)
      'expect-state: /^thinking$/', // 5  ok
      'expect-greeting: welcome to acme', // 6  fails
      'say: goodbye', // 7
      'expect-end: thanks for calling', // 8  ok
      'say: are you there?', // 9  fails: the call is over; stops
      'expect: never checked', // 10
    ].join('\n');
    const result = await runScript(script, opts);
    expect(result.ok).toBe(false);
    expect(result.failures.map((f) => f.line)).toEqual([2, 3, 4, 6, 9]);
    const [two, three, four, six, nine] = result.failures;
    expect(two).toEqual({
      line: 2,
      directive: 'expect: goodbye',
      message: 'expected the last agent reply to contain "goodbye"; it was "You said: hello"',
    });
    expect(three!.message).toMatch(/not to match \/hello\/i/);
    expect(four!.message).toMatch(/no schedule_viewing tool event since line 1; saw no tool events/);
    expect(six!.message).toMatch(/welcome greeting to contain "welcome to acme"; it was "Thanks for calling/);
    expect(nine!.message).toMatch(/the call has ended.*\(script stopped\)/);
  });

  it('hears <Say><Hangup/> for a number nobody registered', async () => {
    const result = await runScript('expect-end: /not in service/\n', { ...opts, to: FAKE_LINES.unknown });
    expect(result.failures).toEqual([]);
    expect(result.end).toMatchObject({ reason: 'twiml-hangup', spoken: [expect.stringMatching(/not in service/)] });
    expect(result.end).not.toHaveProperty('relay');
    expect(result.transcript).toContain('  [say] Sorry, this number is not in service. Goodbye.');
  });

  it('refuses the media-stream transport clearly, after completing the call', async () => {
    await expect(placeCall({ ...opts, to: FAKE_LINES.mediaStream })).rejects.toThrow(UnsupportedTransportError);
    const result = await runScript('say: hi', { ...opts, to: FAKE_LINES.mediaStream });
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([
      {
        line: 0,
        directive: '(placing the call)',
        message: expect.stringMatching(/VOICE_TRANSPORT=conversation-relay/),
      },
    ]);
    const voice = fake.webhooks.filter((w) => w.path === '/twilio/voice' && w.params.To === FAKE_LINES.mediaStream);
    const sid = voice.at(-1)!.params.CallSid;
    expect(webhooksOf(sid).map((w) => w.path)).toEqual(['/twilio/voice', '/twilio/status']);
  });

  it('reports a refused signature with the status and body', async () => {
    const result = await runScript('say: hi', { ...opts, authToken: 'wrong-token-0123456789abcdef' });
    expect(result.ok).toBe(false);
    expect(result.failures[0]!.message).toMatch(/POST \/twilio\/voice → 403.*Invalid Twilio signature/);
    expect(fake.webhooks.at(-1)).toMatchObject({ path: '/twilio/voice', signatureValid: false });
  });

  it('reports a relay session the server refuses with close code 1008', async () => {
    const call = await placeCall({ ...opts, to: FAKE_LINES.badToken });
    const end = await call.ended;
    expect(end.relay).toEqual({ kind: 'refused', code: 1008, reason: 'invalid call token' });
    expect(call.problems).toContainEqual(
      expect.stringMatching(/refused the session \(close 1008: invalid call token\)/),
    );
    expect(call.replies).toEqual([]);
    await expect(call.say('hello?')).rejects.toThrow(/call has ended/);
  });

  it('relay session: a bad upgrade signature is an HTTP refusal, a dead port a failure', async () => {
    const handlers = { onOpen() {}, onReply() {}, onDigits() {}, onInfo() {}, onProblem() {} };
    const setup = {
      type: 'setup' as const,
      sessionId: 'VX1',
      accountSid: 'AC1',
      callSid: 'CA1',
      parentCallSid: '',
      from: '+15125550123',
      to: FAKE_LINES.agent,
      forwardedFrom: '',
      callerName: '',
      direction: 'inbound' as const,
      callType: 'PSTN' as const,
      callStatus: 'RINGING' as const,
      customParameters: {},
    };
    const wsUrl = `${fake.url.replace(/^http/, 'ws')}/twilio/relay`;
    const refused = new RelaySession(
      { url: 'wss://voice.example.test/twilio/relay', connectUrl: wsUrl, authToken: 'wrong-token-0123456789', setup },
      handlers,
    );
    expect(await refused.ended).toEqual({ kind: 'refused', status: 403, reason: 'refused' });
    const dead = new RelaySession(
      { url: 'ws://127.0.0.1:9/twilio/relay', connectUrl: 'ws://127.0.0.1:9/twilio/relay', authToken: TOKEN, setup },
      handlers,
    );
    expect(await dead.ended).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('library: say/replies/events, and a socket closed without end cuts the reply short', async () => {
    const entries: TranscriptEntry[] = [];
    const call = await placeCall({ ...opts, onEntry: (e) => entries.push(e) });
    expect(call.greeting).toMatch(/^Thanks for calling/);
    expect(await call.say('I like the blue house')).toBe('You said: I like the blue house');
    expect(await call.waitForEvent((e) => e.type === 'state' && e.value === 'listening')).toBeDefined();
    expect(await call.dtmf('9')).toBe('You pressed 9.');
    expect(await call.say('please drop')).toBe('One moment');
    const end = await call.ended;
    expect(call.replies).toEqual(['You said: I like the blue house', 'You pressed 9.', 'One moment']);
    expect(entries).toContainEqual({ kind: 'agent', text: 'One moment', cutShort: true });
    expect(end).toMatchObject({
      reason: 'twiml-hangup',
      relay: { kind: 'closed', code: 1000, reason: 'bye' },
      spoken: ['Sorry, we lost the line. Goodbye.'],
    });
    const action = webhooksOf(call.callSid).find((w) => w.path === '/twilio/relay-action');
    expect(action!.params.SessionStatus).toBe('ended');
    expect(action!.params).not.toHaveProperty('HandoffData');
    expect(call.events.map((e) => e.type)).toEqual(expect.arrayContaining(['state', 'turn', 'ended']));
  });

  it('library: the caller hangs up; the status callback reports the call completed', async () => {
    const call = await placeCall(opts);
    const end = await call.hangup();
    expect(end).toMatchObject({ reason: 'caller-hangup', message: 'the caller hung up' });
    expect(webhooksOf(call.callSid).map((w) => w.path)).toEqual(['/twilio/voice', '/twilio/status']);
    expect(messagesOf(call.callSid).map((m) => m.type)).toEqual(['setup']);
  });

  it('runs without events when there is no API key, and says so', async () => {
    const result = await runScript('say: hi\nexpect: said\nexpect-tool: anything', { ...opts, apiKey: undefined });
    expect(result.failures).toEqual([
      { line: 3, directive: 'expect-tool: anything', message: expect.stringMatching(/no call events/) },
    ]);
    expect(result.transcript.filter((l) => l.includes('without call events'))).toHaveLength(1);
  });

  it('says why there are no events when the API key is refused', async () => {
    const result = await runScript('say: hi\nexpect-state: listening', { ...opts, apiKey: 'rk_wrong' });
    expect(result.transcript).toContainEqual(
      expect.stringMatching(/running without call events: GET \/api\/calls\/events → 401/),
    );
    expect(result.failures).toEqual([
      { line: 2, directive: 'expect-state: listening', message: expect.stringMatching(/no call events/) },
    ]);
  });

  it('does not place a call for a script with syntax errors', async () => {
    const before = fake.webhooks.length;
    const result = await runScript('say: hi\nsay\nbogus: 1', opts);
    expect(result.ok).toBe(false);
    expect(result.failures.map((f) => [f.line, f.directive])).toEqual([
      [2, 'say'],
      [3, 'bogus: 1'],
    ]);
    expect(fake.webhooks.length).toBe(before);
  });
});

describe('npm run call --script (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'softphone-cli-'));

  function runCli(script: string, extra: string[] = []) {
    const file = join(dir, `script-${Math.random().toString(36).slice(2)}.call`);
    writeFileSync(file, script);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/softphone/cli.ts',
        ...['--script', file, '--server', fake.url, '--public-url', PUBLIC],
        ...['--auth-token', TOKEN, '--api-key', API_KEY, '--timeout', '5', ...extra],
      ],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    return exitCode(child).then((code) => ({ code, out }));
  }

  it('exits 0 when the script passes', async () => {
    const { code, out } = await runCli('say: hello from the cli\nexpect: you said\nsay: transfer me\nexpect-end', [
      '--transfer',
      'busy',
    ]);
    expect(out).toContain('agent> You said: hello from the cli');
    expect(out).toContain('simulated busy');
    expect(out).toMatch(/✓ script passed/);
    expect(code).toBe(0);
  });

  it('exits 1 and names the failing line', async () => {
    const { code, out } = await runCli('say: hello\n\nexpect: something else\n', ['--quiet']);
    expect(out).toMatch(/line 3: expect: something else\n\s+expected the last agent reply to contain "something else"/);
    expect(out).not.toContain('[state]');
    expect(code).toBe(1);
  });

  it('exits 2 on a bad option', async () => {
    const { code, out } = await runCli('say: hi', ['--transfer', 'maybe']);
    expect(out).toMatch(/--transfer must be one of no-answer, busy, answered/);
    expect(code).toBe(2);
  });
});
