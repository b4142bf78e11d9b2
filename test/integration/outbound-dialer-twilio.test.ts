import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DialEvent } from '../../src/domain/campaigns/dialer.port.ts';
import { TwilioOutboundDialer, twilioDialEvent } from '../../src/integrations/twilio/outbound-dialer.ts';
import { verifyTwilioSignature } from '../../src/integrations/twilio/twilio.ts';
import { FakeTwilioApi, type TwilioCallOutcome } from '../fakes/twilio/fake-twilio-api.ts';
import { CALLER_ID, TO, VOICEMAIL, dialError, useReceiver } from '../helpers/dial-receiver.ts';
import { deadOrigin } from '../helpers/net.ts';

const app = useReceiver();
const request = app.request;

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
