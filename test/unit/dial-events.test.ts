import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DialError, type DialRequest } from '../../src/domain/campaigns/dialer.port.ts';
import {
  answeredByKind,
  twilioCallParams,
  twilioDialError,
  twilioDialEvent,
} from '../../src/integrations/twilio/outbound-dialer.ts';
import {
  vapiCallBody,
  vapiDialEvent,
  vapiEndedKind,
  vapiHttpError,
} from '../../src/integrations/vapi/outbound-dialer.ts';

const SID = 'CA0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const VAPI_ID = '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'vapi', name), 'utf8')) as Record<
    string,
    unknown
  >;

const request = (over: Partial<DialRequest> = {}): DialRequest => ({
  attemptKey: 'c1:t1:a1',
  to: '+15125550142',
  from: '+15125550100',
  ringTimeoutSec: 20,
  machineDetection: false,
  callbackUrl: 'https://voice.example.test/dial-events',
  answerUrl: 'https://voice.example.test/campaign/answer',
  metadata: {},
  ...over,
});

describe('twilioDialEvent: status callbacks', () => {
  it.each([
    ['queued', 'queued'],
    ['initiated', 'queued'],
    ['ringing', 'ringing'],
    ['in-progress', 'answered'],
    ['completed', 'completed'],
    ['busy', 'busy'],
    ['no-answer', 'no-answer'],
    ['failed', 'failed'],
    ['canceled', 'canceled'],
    ['In-Progress', 'answered'],
  ])('CallStatus %s → %s', (status, kind) => {
    expect(twilioDialEvent({ CallSid: SID, CallStatus: status })).toEqual({
      provider: 'twilio',
      providerCallId: SID,
      kind,
    });
  });

  it('reads CallDuration on terminal events only, and only when it is a whole number', () => {
    expect(twilioDialEvent({ CallSid: SID, CallStatus: 'completed', CallDuration: '42' })?.durationSec).toBe(42);
    expect(twilioDialEvent({ CallSid: SID, CallStatus: 'no-answer', CallDuration: '0' })?.durationSec).toBe(0);
    expect(twilioDialEvent({ CallSid: SID, CallStatus: 'ringing', CallDuration: '3' })).not.toHaveProperty(
      'durationSec',
    );
    for (const bad of ['', 'abc', '-1', '4.5', '1e3']) {
      expect(twilioDialEvent({ CallSid: SID, CallStatus: 'completed', CallDuration: bad })).not.toHaveProperty(
        'durationSec',
      );
    }
  });

  it('keeps AnsweredBy on a status callback without changing its kind, and a SIP code as the reason', () => {
    expect(twilioDialEvent({ CallSid: SID, CallStatus: 'in-progress', AnsweredBy: 'machine_start' })).toEqual({
      provider: 'twilio',
      providerCallId: SID,
      kind: 'answered',
      answeredBy: 'machine_start',
    });
    expect(twilioDialEvent({ CallSid: SID, CallStatus: 'failed', SipResponseCode: '404' })?.reason).toBe('SIP 404');
    expect(twilioDialEvent({ CallSid: SID, CallStatus: 'failed', SipResponseCode: 'x' })).not.toHaveProperty('reason');
  });

  it('ignores forms that are not ours', () => {
    expect(twilioDialEvent({})).toBeNull();
    expect(twilioDialEvent({ CallStatus: 'ringing' })).toBeNull();
    expect(twilioDialEvent({ CallSid: 'CA123', CallStatus: 'ringing' })).toBeNull();
    expect(twilioDialEvent({ CallSid: `SM${SID.slice(2)}`, CallStatus: 'ringing' })).toBeNull();
    expect(twilioDialEvent({ CallSid: SID, CallStatus: 'answered' })).toBeNull();
    expect(twilioDialEvent({ CallSid: SID })).toBeNull();
    expect(twilioDialEvent({ CallSid: SID, AnsweredBy: '  ' })).toBeNull();
  });
});

describe('twilioDialEvent: async AMD callbacks', () => {
  it.each([
    ['human', 'human'],
    ['unknown', 'human'],
    ['machine_start', 'machine'],
    ['machine_end_beep', 'machine'],
    ['machine_end_silence', 'machine'],
    ['machine_end_other', 'machine'],
    ['fax', 'machine'],
  ])('AnsweredBy %s → %s', (answeredBy, kind) => {
    expect(
      twilioDialEvent({
        AccountSid: `AC${'1'.repeat(32)}`,
        CallSid: SID,
        AnsweredBy: answeredBy,
        MachineDetectionDuration: '2400',
      }),
    ).toEqual({ provider: 'twilio', providerCallId: SID, kind, answeredBy });
  });

  it('counts a value Twilio may add later as a person unless it names a machine', () => {
    expect(answeredByKind('machine_end_something_new')).toBe('machine');
    expect(answeredByKind('something_new')).toBe('human');
  });
});

describe('twilioCallParams and twilioDialError', () => {
  it('adds the AMD marker to a callback URL with or without a query', () => {
    const plain = twilioCallParams(request({ machineDetection: true }));
    expect(plain.asyncAmdStatusCallback).toBe('https://voice.example.test/dial-events?amd=1');
    const withQuery = twilioCallParams(
      request({ machineDetection: true, callbackUrl: 'https://voice.example.test/dial-events?attempt=a%3Ab' }),
    );
    expect(withQuery.asyncAmdStatusCallback).toBe('https://voice.example.test/dial-events?attempt=a%3Ab&amd=1');
  });

  it('rounds the ring timeout and refuses what Twilio would refuse', () => {
    expect(twilioCallParams(request({ ringTimeoutSec: 19.6 })).timeout).toBe(20);
    for (const ringTimeoutSec of [0, -5, 601, Number.NaN]) {
      expect(() => twilioCallParams(request({ ringTimeoutSec }))).toThrow(DialError);
    }
    expect(() => twilioCallParams(request({ callbackUrl: '/relative' }))).toThrow(DialError);
    expect(() => twilioCallParams(request({ answerUrl: 'ftp://x.test/a' }))).toThrow(DialError);
  });

  it('classifies errors by HTTP status, network code, or neither', () => {
    expect(twilioDialError({ status: 400, code: 21211, message: 'Invalid To' }, 'dial')).toMatchObject({
      retryable: false,
      status: 400,
    });
    expect(twilioDialError({ status: 429, code: 20429 }, 'dial').retryable).toBe(true);
    expect(twilioDialError({ status: 502 }, 'dial').retryable).toBe(true);
    expect(twilioDialError(Object.assign(new Error('timeout'), { code: 'ECONNABORTED' }), 'dial')).toMatchObject({
      retryable: true,
      status: null,
    });
    expect(twilioDialError(new TypeError('boom'), 'dial').retryable).toBe(false);
    const own = new DialError('x', true);
    expect(twilioDialError(own, 'dial')).toBe(own);
  });
});

describe('vapiEndedKind', () => {
  it.each([
    ['customer-busy', 'busy'],
    ['call.in-progress.error-providerfault-outbound-sip-486-busy-here', 'busy'],
    ['customer-did-not-answer', 'no-answer'],
    ['call.in-progress.error-providerfault-outbound-sip-408-request-timeout', 'no-answer'],
    ['call.in-progress.error-providerfault-outbound-sip-480-temporarily-unavailable', 'no-answer'],
    ['voicemail', 'machine'],
    ['manually-canceled', 'canceled'],
    ['scheduled-call-deleted', 'canceled'],
    ['twilio-failed-to-connect-call', 'failed'],
    ['twilio-reported-customer-misdialed', 'failed'],
    ['vonage-rejected', 'failed'],
    ['call.start.error-subscription-concurrency-limit-reached', 'failed'],
    ['call.in-progress.error-providerfault-outbound-sip-503-service-unavailable', 'failed'],
    ['call.in-progress.error-vapifault-transport-never-connected', 'failed'],
    ['pipeline-error-openai-llm-failed', 'failed'],
    ['assistant-not-found', 'failed'],
    ['assistant-request-returned-error', 'failed'],
    ['assistant-join-timed-out', 'failed'],
    ['worker-shutdown', 'failed'],
    ['customer-ended-call', 'completed'],
    ['assistant-ended-call', 'completed'],
    ['assistant-ended-call-after-message-spoken', 'completed'],
    ['assistant-said-end-call-phrase', 'completed'],
    ['assistant-forwarded-call', 'completed'],
    ['exceeded-max-duration', 'completed'],
    ['silence-timed-out', 'completed'],
    ['call.in-progress.twilio-completed-call', 'completed'],
    ['vonage-completed', 'completed'],
    ['', 'completed'],
  ])('%s → %s', (reason, kind) => {
    expect(vapiEndedKind(reason)).toBe(kind);
  });

  it('treats a missing reason as completed', () => {
    expect(vapiEndedKind(null)).toBe('completed');
    expect(vapiEndedKind(undefined)).toBe('completed');
  });
});

describe('vapiDialEvent', () => {
  const call = { id: VAPI_ID, type: 'outboundPhoneCall' };
  const statusUpdate = (status: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    message: { type: 'status-update', status, call, ...extra },
  });

  it.each([
    ['scheduled', 'queued'],
    ['queued', 'queued'],
    ['ringing', 'ringing'],
    ['in-progress', 'answered'],
  ])('status-update %s → %s', (status, kind) => {
    expect(vapiDialEvent(statusUpdate(status))).toEqual({ provider: 'vapi', providerCallId: VAPI_ID, kind });
  });

  it('maps status-update ended through its endedReason (message first, then the call’s)', () => {
    expect(vapiDialEvent(statusUpdate('ended', { endedReason: 'customer-busy' }))).toMatchObject({
      kind: 'busy',
      reason: 'customer-busy',
    });
    expect(
      vapiDialEvent({
        message: { type: 'status-update', status: 'ended', call: { ...call, endedReason: 'voicemail' } },
      }),
    ).toMatchObject({ kind: 'machine', reason: 'voicemail' });
  });

  it('has nothing for forwarding, unknown statuses, other message types or broken shapes', () => {
    expect(vapiDialEvent(statusUpdate('forwarding'))).toBeNull();
    expect(vapiDialEvent(statusUpdate('teleported'))).toBeNull();
    expect(vapiDialEvent({ message: { type: 'conversation-update', call } })).toBeNull();
    expect(vapiDialEvent({ message: { type: 'status-update', status: 'ringing' } })).toBeNull();
    expect(
      vapiDialEvent({ message: { type: 'status-update', status: 'ringing', call: { id: 'bad id!' } } }),
    ).toBeNull();
    expect(vapiDialEvent(null)).toBeNull();
    expect(vapiDialEvent('status-update')).toBeNull();
    expect(vapiDialEvent([])).toBeNull();
  });

  it('accepts the envelope or the bare message', () => {
    const inner = { type: 'status-update', status: 'ringing', call };
    expect(vapiDialEvent(inner)).toEqual(vapiDialEvent({ message: inner }));
  });

  it('reads the recorded fixtures', () => {
    expect(vapiDialEvent(fixture('status-update.json'))).toEqual({
      provider: 'vapi',
      providerCallId: VAPI_ID,
      kind: 'answered',
    });
    expect(vapiDialEvent(fixture('end-of-call-report.json'))).toEqual({
      provider: 'vapi',
      providerCallId: VAPI_ID,
      kind: 'completed',
      reason: 'customer-ended-call',
      durationSec: 97,
      ended: true,
    });
  });

  it('takes the duration of an end-of-call-report from its times, else its durationSeconds', () => {
    const report = (extra: Record<string, unknown>): Record<string, unknown> => ({
      message: { type: 'end-of-call-report', endedReason: 'customer-did-not-answer', call, ...extra },
    });
    expect(vapiDialEvent(report({ durationSeconds: 0 }))).toMatchObject({ kind: 'no-answer', durationSec: 0 });
    expect(vapiDialEvent(report({}))).not.toHaveProperty('durationSec');
    expect(
      vapiDialEvent(report({ startedAt: '2026-01-05T15:00:00.000Z', endedAt: '2026-01-05T15:00:30.400Z' })),
    ).toMatchObject({ durationSec: 30 });
  });

  it('finds the attempt key where Vapi echoes the assistant metadata, strings only', () => {
    const where: Record<string, unknown>[] = [
      { assistant: { metadata: { attemptKey: 'k1' } } },
      { call: { ...call, assistant: { metadata: { attemptKey: 'k1' } } } },
      { call: { ...call, assistantOverrides: { metadata: { attemptKey: 'k1' } } } },
    ];
    for (const extra of where) {
      expect(vapiDialEvent({ message: { type: 'status-update', status: 'ringing', call, ...extra } })?.attemptKey).toBe(
        'k1',
      );
    }
    for (const attemptKey of [42, '', '   ', 'x'.repeat(201), null]) {
      expect(
        vapiDialEvent({
          message: { type: 'status-update', status: 'ringing', call, assistant: { metadata: { attemptKey } } },
        }),
      ).not.toHaveProperty('attemptKey');
    }
  });
});

describe('vapiCallBody and vapiHttpError', () => {
  it('lets the request decide voicemail detection, keeping a persona’s own plan when asked for', () => {
    const persona = (): Record<string, unknown> => ({
      name: 'Persona',
      voicemailDetection: { provider: 'twilio', voicemailDetectionTypes: ['machine_end_beep'] },
      serverMessages: ['tool-calls', 'status-update'],
      server: { url: 'https://elsewhere.test/hook', timeoutSeconds: 10 },
      metadata: { attemptKey: 'spoofed', agentId: 3 },
    });
    const on = vapiCallBody(request({ machineDetection: true, metadata: { campaignId: '9' } }), {
      phoneNumberId: 'pn',
      assistant: persona,
    });
    expect(on.assistant).toEqual({
      name: 'Persona',
      voicemailDetection: { provider: 'twilio', voicemailDetectionTypes: ['machine_end_beep'] },
      serverMessages: ['tool-calls', 'status-update', 'end-of-call-report'],
      server: { url: 'https://voice.example.test/dial-events', timeoutSeconds: 10 },
      metadata: { attemptKey: 'c1:t1:a1', agentId: 3, campaignId: '9' },
    });
    const off = vapiCallBody(request(), { phoneNumberId: 'pn', assistant: persona });
    expect(off.assistant).not.toHaveProperty('voicemailDetection');
  });

  it('refuses relative URLs before any request', () => {
    expect(() => vapiCallBody(request({ callbackUrl: 'dial-events' }), { phoneNumberId: 'pn' })).toThrow(DialError);
  });

  it('reads Vapi’s error bodies', () => {
    expect(
      vapiHttpError(400, { message: ['a must be b', 'c must be d'], error: 'Bad Request', statusCode: 400 }, 'dial'),
    ).toMatchObject({
      retryable: false,
      status: 400,
      message: 'Vapi refused to dial (HTTP 400): a must be b; c must be d',
    });
    expect(vapiHttpError(502, 'gateway', 'dial')).toMatchObject({ retryable: true, status: 502 });
    expect(vapiHttpError(403, { message: 'Concurrency limit reached' }, 'dial').retryable).toBe(true);
  });
});
