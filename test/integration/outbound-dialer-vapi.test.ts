import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DialEvent, DialRequest } from '../../src/domain/campaigns/dialer.port.ts';
import { transientAssistant, VAPI_SERVER_MESSAGES } from '../../src/integrations/vapi/assistant.ts';
import { authenticateVapiRequest } from '../../src/integrations/vapi/auth.ts';
import { VapiOutboundDialer, vapiDialEvent } from '../../src/integrations/vapi/outbound-dialer.ts';
import { FakeVapiApi, type VapiCallOutcome } from '../fakes/vapi/fake-vapi-api.ts';
import { ATTEMPT, CALLER_ID, TO, VOICEMAIL, dialError, useReceiver } from '../helpers/dial-receiver.ts';
import { deadOrigin } from '../helpers/net.ts';

const VAPI_HMAC = 'test-vapi-hmac-secret-0123456789';

const app = useReceiver();
const request = app.request;

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
