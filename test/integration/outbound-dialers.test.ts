import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DialError, type DialEvent, type DialRequest } from '../../src/domain/campaigns/dialer.port.ts';
import { TwilioOutboundDialer, twilioDialEvent } from '../../src/integrations/twilio/outbound-dialer.ts';
import { verifyTwilioSignature } from '../../src/integrations/twilio/twilio.ts';
import { transientAssistant, VAPI_SERVER_MESSAGES } from '../../src/integrations/vapi/assistant.ts';
import { authenticateVapiRequest } from '../../src/integrations/vapi/auth.ts';
import { VapiOutboundDialer, vapiDialEvent } from '../../src/integrations/vapi/outbound-dialer.ts';
import { FakeTwilioApi, type TwilioCallOutcome } from '../fakes/twilio/fake-twilio-api.ts';
import { FakeVapiApi, type VapiCallOutcome } from '../fakes/vapi/fake-vapi-api.ts';

const CALLER_ID = '+15125550100';
const TO = '+15125550142';
const ATTEMPT = 'campaign-7:target-42:attempt-1';
const VAPI_HMAC = 'test-vapi-hmac-secret-0123456789';
const VOICEMAIL =
  "Hi, this is Dana Reyes's AI assistant at Smith & Sons <Realty>, calling about the home that just sold on Elm " +
  'Street. Call us back at 512-555-0100. To stop these calls, call that number and press 9.';

/** Our side: an HTTP server on 127.0.0.1 that records what the carriers POST to it and answers 204. */
interface Received {
  /** The full URL as the carrier called it (what signatures cover). */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
}

interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let origin = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        url: `${origin}${req.url ?? '/'}`,
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString(),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on. */
async function deadOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function dialError(promise: Promise<unknown>): Promise<DialError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DialError);
  return err as DialError;
}

let app: Receiver;

beforeAll(async () => {
  app = await startReceiver();
});

afterAll(async () => {
  await app.close();
});

const request = (over: Partial<DialRequest> = {}): DialRequest => ({
  attemptKey: ATTEMPT,
  to: TO,
  from: CALLER_ID,
  ringTimeoutSec: 25,
  machineDetection: true,
  callbackUrl: `${app.url}/dial-events?attempt=${encodeURIComponent(ATTEMPT)}`,
  answerUrl: `${app.url}/campaign/answer`,
  metadata: { campaignId: '7', targetId: '42' },
  ...over,
});

describe('TwilioOutboundDialer against the fake Twilio API', () => {
  let fake: FakeTwilioApi;
  let dialer: TwilioOutboundDialer;

  beforeAll(async () => {
    fake = await FakeTwilioApi.start();
    dialer = new TwilioOutboundDialer({ accountSid: fake.accountSid, authToken: fake.authToken, apiBaseUrl: fake.url });
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
    app.received.length = 0;
  });

  it('creates the call through the SDK, on the fake, with exactly the calls.create fields', async () => {
    const req = request();
    const result = await dialer.dial(req);

    expect(result.provider).toBe('twilio');
    expect(result.providerCallId).toMatch(/^CA[0-9a-f]{32}$/);
    expect(fake.calls.has(result.providerCallId)).toBe(true);
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent!.method).toBe('POST');
    expect(sent!.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Calls.json`);
    expect(sent!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`,
    );
    expect(sent!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(sent!.fields).toEqual({
      To: TO,
      From: CALLER_ID,
      Url: req.answerUrl,
      Timeout: '25',
      StatusCallback: req.callbackUrl,
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      StatusCallbackMethod: 'POST',
      MachineDetection: 'DetectMessageEnd',
      AsyncAmd: 'true',
      AsyncAmdStatusCallback: `${req.callbackUrl}&amd=1`,
    });
  });

  it('sends no AMD fields without machine detection', async () => {
    await dialer.dial(request({ machineDetection: false, callbackUrl: `${app.url}/dial-events` }));
    const fields = fake.requests[0]!.fields;
    expect(Object.keys(fields).sort()).toEqual(
      ['From', 'StatusCallback', 'StatusCallbackEvent', 'StatusCallbackMethod', 'Timeout', 'To', 'Url'].sort(),
    );
  });

  const outcomes: [TwilioCallOutcome, Partial<DialEvent>[]][] = [
    [
      'human',
      [
        { kind: 'queued' },
        { kind: 'ringing' },
        { kind: 'answered' },
        { kind: 'human', answeredBy: 'human' },
        { kind: 'completed', durationSec: 42 },
      ],
    ],
    [
      'machine',
      [
        { kind: 'queued' },
        { kind: 'ringing' },
        { kind: 'answered' },
        { kind: 'machine', answeredBy: 'machine_end_beep' },
        { kind: 'completed', durationSec: 42 },
      ],
    ],
    ['no-answer', [{ kind: 'queued' }, { kind: 'ringing' }, { kind: 'no-answer', durationSec: 0 }]],
    ['busy', [{ kind: 'queued' }, { kind: 'busy', durationSec: 0 }]],
    ['failed', [{ kind: 'queued' }, { kind: 'failed', durationSec: 0, reason: 'SIP 503' }]],
  ];

  it.each(outcomes)('a %s call: signed callbacks that parse to the DialEvents in order', async (outcome, expected) => {
    const { providerCallId } = await dialer.dial(request());
    const delivered = await fake.play(providerCallId, outcome);
    expect(delivered.every((d) => d.responseStatus === 204)).toBe(true);
    expect(app.received).toHaveLength(expected.length);

    const events = app.received.map((r) => {
      const params = Object.fromEntries(new URLSearchParams(r.rawBody));
      const signature = r.headers['x-twilio-signature'];
      expect(typeof signature).toBe('string');
      expect(verifyTwilioSignature(fake.authToken, signature as string, r.url, params)).toBe(true);
      // The signature covers the URL and every parameter.
      expect(verifyTwilioSignature(fake.authToken, signature as string, r.url, { ...params, CallSid: 'CAx' })).toBe(
        false,
      );
      const amd = new URL(r.url).searchParams.get('amd') === '1';
      expect(amd).toBe(params.CallStatus === undefined);
      return twilioDialEvent(params);
    });

    expect(events).toEqual(expected.map((e) => ({ provider: 'twilio', providerCallId, ...e })));
  });

  it('maps refusals and outages to DialError: 4xx final, 429/5xx/network retryable', async () => {
    // Twilio's own validation (the fake's): not E.164.
    const invalid = await dialError(dialer.dial(request({ to: '5125550142' })));
    expect(invalid).toMatchObject({ retryable: false, status: 400 });
    expect(invalid.message).toContain('21211');

    const cases: [number, number, boolean][] = [
      [400, 21610, false], // unsubscribed recipient
      [400, 21215, false], // geo permissions
      [404, 20404, false],
      [408, 20408, true],
      [429, 20429, true],
      [500, 20500, true],
      [503, 20503, true],
    ];
    for (const [status, code, retryable] of cases) {
      fake.failNext({ status, code, message: `scripted ${code}` });
      const err = await dialError(dialer.dial(request()));
      expect(err, `${status}/${code}`).toMatchObject({ retryable, status });
      expect(err.message).toContain(String(code));
    }

    const wrongToken = new TwilioOutboundDialer({
      accountSid: fake.accountSid,
      authToken: 'not-the-token-0123456789',
      apiBaseUrl: fake.url,
    });
    expect(await dialError(wrongToken.dial(request()))).toMatchObject({ retryable: false, status: 401 });

    const offline = new TwilioOutboundDialer({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      apiBaseUrl: await deadOrigin(),
    });
    expect(await dialError(offline.dial(request()))).toMatchObject({ retryable: true, status: null });

    // Refused before any request: a ring timeout Twilio would reject.
    const before = fake.requests.length;
    expect(await dialError(dialer.dial(request({ ringTimeoutSec: 0 })))).toMatchObject({ retryable: false });
    expect(fake.requests).toHaveLength(before);
  });

  it('hangs up with calls(sid).update({status: completed}), idempotently', async () => {
    const { providerCallId } = await dialer.dial(request());
    fake.call(providerCallId).status = 'in-progress';
    await dialer.hangUp(providerCallId);

    const updates = fake.requestsTo('POST', /\/Calls\/CA[0-9a-f]{32}\.json$/);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Calls/${providerCallId}.json`);
    expect(updates[0]!.fields).toEqual({ Status: 'completed' });
    expect(fake.call(providerCallId).status).toBe('completed');

    // Again, on an ended call: no error.
    await dialer.hangUp(providerCallId);
    expect(fake.call(providerCallId).status).toBe('completed');

    // A ringing call is cancelled by the same request.
    const ringing = await dialer.dial(request());
    await dialer.hangUp(ringing.providerCallId);
    expect(fake.call(ringing.providerCallId).status).toBe('canceled');

    const unknown = await dialError(dialer.hangUp(`CA${'0'.repeat(32)}`));
    expect(unknown).toMatchObject({ retryable: false, status: 404 });
    expect(await dialError(dialer.hangUp('not-a-sid'))).toMatchObject({ retryable: false, status: null });
  });

  it('drops a voicemail with calls(sid).update({twiml}): a pause, the message, then a hang-up', async () => {
    const { providerCallId } = await dialer.dial(request());
    fake.call(providerCallId).status = 'in-progress';
    await dialer.dropVoicemail(providerCallId, ` ${VOICEMAIL} `);

    const updates = fake.requestsTo('POST', /\/Calls\/CA[0-9a-f]{32}\.json$/);
    expect(updates.map((u) => Object.keys(u.fields))).toEqual([['Twiml']]);
    expect(fake.call(providerCallId)).toMatchObject({ status: 'completed', twiml: updates[0]!.fields.Twiml });
    expect(fake.call(providerCallId).twiml).toMatch(
      /<Response><Pause length="1"\/><Say>Hi, this is Dana Reyes's AI assistant .* press 9\.<\/Say><Hangup\/><\/Response>$/,
    );
    expect(fake.call(providerCallId).twiml).toContain('Smith &amp; Sons &lt;Realty&gt;');
  });

  it('maps a refused voicemail drop to DialError; an ended call is an error, not a success', async () => {
    const { providerCallId } = await dialer.dial(request());
    const notLive = await dialError(dialer.dropVoicemail(providerCallId, VOICEMAIL)); // still ringing
    expect(notLive).toMatchObject({ retryable: false, status: 400 });
    expect(notLive.message).toContain('21220');

    fake.call(providerCallId).status = 'in-progress';
    fake.failNext({ status: 503, code: 20503 });
    const down = await dialError(dialer.dropVoicemail(providerCallId, VOICEMAIL));
    expect(down).toMatchObject({ retryable: true, status: 503 });

    const before = fake.requests.length;
    for (const [sid, message] of [
      ['not-a-sid', VOICEMAIL],
      [providerCallId, '  '],
      [providerCallId, 'x'.repeat(4000)],
    ] as const) {
      expect(await dialError(dialer.dropVoicemail(sid, message))).toMatchObject({ retryable: false, status: null });
    }
    expect(fake.requests).toHaveLength(before);
  });
});

describe('VapiOutboundDialer against the fake Vapi API', () => {
  let fake: FakeVapiApi;
  let dialer: VapiOutboundDialer;

  beforeAll(async () => {
    fake = await FakeVapiApi.start({ serverAuth: { hmacSecret: VAPI_HMAC } });
    dialer = new VapiOutboundDialer({
      apiKey: fake.apiKey,
      phoneNumberId: fake.phoneNumberId,
      phoneNumber: CALLER_ID,
      apiBaseUrl: fake.url,
      serverCredentialId: 'cred-0123',
    });
  });

  afterAll(async () => {
    await fake.close();
  });

  beforeEach(() => {
    fake.reset();
    app.received.length = 0;
  });

  it('POSTs /call with the line, the customer and a transient assistant carrying the metadata', async () => {
    const req = request();
    const result = await dialer.dial(req);

    expect(result.provider).toBe('vapi');
    expect(fake.calls.has(result.providerCallId)).toBe(true);
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent!.method).toBe('POST');
    expect(sent!.path).toBe('/call');
    expect(sent!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(sent!.headers['content-type']).toBe('application/json');
    expect(sent!.body).toEqual({
      phoneNumberId: fake.phoneNumberId,
      customer: { number: TO },
      assistant: {
        name: 'Campaign call',
        firstMessageMode: 'assistant-speaks-first-with-model-generated-message',
        model: { provider: 'custom-llm', url: req.answerUrl, model: 'campaign', metadataSendMode: 'variable' },
        server: { url: req.callbackUrl, credentialId: 'cred-0123' },
        serverMessages: ['status-update', 'end-of-call-report'],
        metadata: { campaignId: '7', targetId: '42', attemptKey: ATTEMPT },
        voicemailDetection: { provider: 'vapi' },
      },
    });
  });

  it('builds on a persona from transientAssistant(), keeping its fields and adding ours', async () => {
    const persona = (r: DialRequest): Record<string, unknown> =>
      transientAssistant({
        agentName: 'Dana Realtor',
        greeting: 'Hi, this is Dana Realtor’s AI assistant calling about 141 Elm Street.',
        publicUrl: 'https://voice.example.test',
        voiceId: '21m00Tcm4TlvDq8ikWAM',
        transferTo: null,
        callSid: r.attemptKey,
        agentId: 12,
        maxDurationSeconds: 600,
      });
    const withPersona = new VapiOutboundDialer({
      apiKey: fake.apiKey,
      phoneNumberId: fake.phoneNumberId,
      apiBaseUrl: fake.url,
      assistant: persona,
    });
    const req = request({ machineDetection: false });
    await withPersona.dial(req);
    const assistant = (fake.requests[0]!.body as { assistant: Record<string, unknown> }).assistant;
    const expected = persona(req);
    expect(assistant).toEqual({
      ...expected,
      server: { url: req.callbackUrl },
      serverMessages: [...VAPI_SERVER_MESSAGES],
      metadata: { callSid: ATTEMPT, agentId: 12, campaignId: '7', targetId: '42', attemptKey: ATTEMPT },
    });
    expect(assistant).not.toHaveProperty('voicemailDetection');
  });

  const outcomes: [VapiCallOutcome, Partial<DialEvent>[]][] = [
    [
      'human',
      [
        { kind: 'ringing' },
        { kind: 'answered' },
        { kind: 'completed', reason: 'customer-ended-call' },
        { kind: 'completed', reason: 'customer-ended-call', durationSec: 42 },
      ],
    ],
    [
      'machine',
      [
        { kind: 'ringing' },
        { kind: 'answered' },
        { kind: 'machine', reason: 'voicemail' },
        { kind: 'machine', reason: 'voicemail', durationSec: 42 },
      ],
    ],
    [
      'no-answer',
      [
        { kind: 'ringing' },
        { kind: 'no-answer', reason: 'customer-did-not-answer' },
        { kind: 'no-answer', reason: 'customer-did-not-answer', durationSec: 0 },
      ],
    ],
    [
      'busy',
      [
        { kind: 'busy', reason: 'customer-busy' },
        { kind: 'busy', reason: 'customer-busy', durationSec: 0 },
      ],
    ],
    [
      'failed',
      [
        { kind: 'failed', reason: 'twilio-failed-to-connect-call' },
        { kind: 'failed', reason: 'twilio-failed-to-connect-call', durationSec: 0 },
      ],
    ],
  ];

  it.each(outcomes)('a %s call: authenticated server messages that parse in order', async (outcome, expected) => {
    const req = request();
    const { providerCallId } = await dialer.dial(req);
    const delivered = await fake.play(providerCallId, outcome);
    expect(delivered.every((d) => d.responseStatus === 204)).toBe(true);
    expect(app.received).toHaveLength(expected.length);

    const events = app.received.map((r) => {
      expect(r.url).toBe(req.callbackUrl);
      expect(authenticateVapiRequest(r.rawBody, r.headers, { hmacSecret: VAPI_HMAC })).toEqual({
        ok: true,
        method: 'hmac',
      });
      return vapiDialEvent(JSON.parse(r.rawBody));
    });
    // Everything past "answered" came from an end report or an "ended" status: it also ends the call.
    const ends = (kind: string | undefined) => !['queued', 'ringing', 'answered'].includes(kind ?? '');
    expect(events).toEqual(
      expected.map((e) => ({
        provider: 'vapi',
        providerCallId,
        attemptKey: ATTEMPT,
        ...e,
        ...(ends(e.kind) ? { ended: true } : {}),
      })),
    );
  });

  it('maps refusals and outages to DialError: 4xx final, 429/5xx/concurrency/network retryable', async () => {
    // Vapi's validation (the fake's): the customer number is not E.164.
    const invalid = await dialError(dialer.dial(request({ to: '5125550142' })));
    expect(invalid).toMatchObject({ retryable: false, status: 400 });
    expect(invalid.message).toContain('E.164');

    const cases: [number, string, boolean][] = [
      [400, 'Bad phone number', false],
      [402, 'Insufficient credits', false],
      [404, 'Not Found', false],
      [429, 'Too Many Requests', true],
      [500, 'Internal server error', true],
      [503, 'Service Unavailable', true],
      [400, 'Over Concurrency Limit', true],
    ];
    for (const [status, message, retryable] of cases) {
      fake.failNext({ status, message });
      const err = await dialError(dialer.dial(request()));
      expect(err, `${status} ${message}`).toMatchObject({ retryable, status });
      expect(err.message).toContain(message);
    }

    const wrongKey = new VapiOutboundDialer({
      apiKey: 'wrong',
      phoneNumberId: fake.phoneNumberId,
      apiBaseUrl: fake.url,
    });
    expect(await dialError(wrongKey.dial(request()))).toMatchObject({ retryable: false, status: 401 });

    const offline = new VapiOutboundDialer({
      apiKey: fake.apiKey,
      phoneNumberId: fake.phoneNumberId,
      apiBaseUrl: await deadOrigin(),
    });
    expect(await dialError(offline.dial(request()))).toMatchObject({ retryable: true, status: null });

    // Refused before any request: Vapi would show its line's number, not this caller ID.
    const before = fake.requests.length;
    expect(await dialError(dialer.dial(request({ from: '+15125550199' })))).toMatchObject({ retryable: false });
    expect(fake.requests).toHaveLength(before);
  });

  it('sends the voicemail message in the assistant; Vapi leaves it, so dropVoicemail sends nothing', async () => {
    const { providerCallId } = await dialer.dial(request({ voicemailMessage: ` ${VOICEMAIL} ` }));
    const assistant = (fake.requests[0]!.body as { assistant: Record<string, unknown> }).assistant;
    expect(assistant).toMatchObject({ voicemailDetection: { provider: 'vapi' }, voicemailMessage: VOICEMAIL });

    await dialer.dropVoicemail(providerCallId, VOICEMAIL);
    expect(fake.requests).toHaveLength(1);

    // The machine call's end report: endedReason voicemail, and the message in the transcript after the greeting.
    await fake.play(providerCallId, 'machine');
    const report = JSON.parse(app.received.at(-1)!.rawBody) as {
      message: { type: string; endedReason: string; artifact: { transcript: string } };
    };
    expect(report.message).toMatchObject({ type: 'end-of-call-report', endedReason: 'voicemail' });
    const { transcript } = report.message.artifact;
    expect(transcript.startsWith('User: ') && transcript.endsWith(`\nAI: ${VOICEMAIL}\n`)).toBe(true);
    expect(vapiDialEvent(report)).toMatchObject({ kind: 'machine', ended: true });

    const long = request({ voicemailMessage: 'x'.repeat(1001) });
    expect(await dialError(dialer.dial(long))).toMatchObject({ retryable: false, status: null });
    expect(await dialError(dialer.dropVoicemail('no such id!', VOICEMAIL))).toMatchObject({ retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('hangs up through the call’s control URL, looking it up when not known', async () => {
    const first = await dialer.dial(request());
    await dialer.hangUp(first.providerCallId);
    const controls = fake.requestsTo('POST', /^\/control\//);
    expect(controls).toHaveLength(1);
    expect(controls[0]!.path).toBe(`/control/${first.providerCallId}`);
    expect(controls[0]!.body).toEqual({ type: 'end-call' });
    expect(controls[0]!.headers.authorization).toBeUndefined(); // the private key stays with the API
    expect(fake.call(first.providerCallId)).toMatchObject({ status: 'ended', controls: [{ type: 'end-call' }] });

    // Another instance (after a restart) knows no control URL: GET /call/:id first.
    const second = await dialer.dial(request());
    const restarted = new VapiOutboundDialer({
      apiKey: fake.apiKey,
      phoneNumberId: fake.phoneNumberId,
      apiBaseUrl: fake.url,
    });
    fake.requests.length = 0;
    await restarted.hangUp(second.providerCallId);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /call/${second.providerCallId}`,
      `POST /control/${second.providerCallId}`,
    ]);
    expect(fake.call(second.providerCallId).status).toBe('ended');

    // A call that already ended: nothing to do, whether the control URL is known or not.
    const third = await dialer.dial(request());
    await fake.play(third.providerCallId, 'busy');
    fake.requests.length = 0;
    await restarted.hangUp(third.providerCallId);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /call/${third.providerCallId}`]);
    await dialer.hangUp(third.providerCallId);
    expect(fake.call(third.providerCallId).controls).toEqual([]);

    expect(await dialError(dialer.hangUp('no such id!'))).toMatchObject({ retryable: false });
    expect(await dialError(restarted.hangUp('5d1f0c3e-0000-4000-8000-000000000000'))).toMatchObject({
      retryable: false,
      status: 404,
    });
  });
});
