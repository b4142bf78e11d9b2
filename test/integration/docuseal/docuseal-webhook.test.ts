import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DocuSealProvider } from '../../../src/integrations/docuseal/docuseal-provider.ts';
import {
  parseDocuSealWebhook,
  verifyDocuSealSignature,
  verifyDocuSealTimestampedSignature,
  verifyDocuSealWebhook,
} from '../../../src/integrations/docuseal/webhook.ts';
import { FakeDocuSealServer, type DocuSealWebhookEvent } from '../../fakes/docuseal/fake-docuseal-server.ts';

const SECRET = 'our-shared-webhook-secret';
const DOCUSEAL_SIGNING_SECRET = 'whsec_c2VjcmV0LXNpZ25pbmcta2V5LWJ5dGVz';

let fake: FakeDocuSealServer;
let submissionId: string;
let sellerId: number;
let buyerId: number;

beforeAll(async () => {
  fake = await FakeDocuSealServer.start();
});

afterAll(async () => {
  await fake.close();
});

beforeEach(async () => {
  fake.reset();
  const created = await new DocuSealProvider({ apiKey: fake.apiKey, baseUrl: fake.url }).createSubmission({
    providerTemplateId: '1001',
    documentName: 'Listing agreement',
    order: 'sequential',
    externalId: 'contract-9',
    signers: [
      { name: 'Sam Seller', email: 'sam@example.com', role: 'Seller', order: 1, externalId: 'signer-1' },
      { name: 'Bea Buyer', email: 'bea@example.com', role: 'Buyer', order: 2, externalId: 'signer-2' },
    ],
  });
  submissionId = created.providerSubmissionId;
  [sellerId, buyerId] = fake.submitterIdsOf(submissionId) as [number, number];
});

function someEvent(): DocuSealWebhookEvent {
  return fake.simulateOpen(sellerId)[0]!;
}

describe('verifyDocuSealSignature', () => {
  it('accepts the HMAC of the raw body with and without the sha256= prefix', () => {
    const withPrefix = fake.signWebhook(someEvent(), SECRET);
    expect(withPrefix.headers['x-docuseal-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyDocuSealSignature(withPrefix.rawBody, withPrefix.headers['x-docuseal-signature'], SECRET)).toBe(true);

    const bare = fake.signWebhook(someEvent(), SECRET, { prefix: false });
    expect(bare.headers['x-docuseal-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyDocuSealSignature(bare.rawBody, bare.headers['x-docuseal-signature'], SECRET)).toBe(true);
    expect(
      verifyDocuSealSignature(bare.rawBody, `SHA256=${bare.headers['x-docuseal-signature']!.toUpperCase()}`, SECRET),
    ).toBe(true);
  });

  it('rejects a wrong secret', () => {
    const signed = fake.signWebhook(someEvent(), 'another-secret');
    expect(verifyDocuSealSignature(signed.rawBody, signed.headers['x-docuseal-signature'], SECRET)).toBe(false);
  });

  it('rejects a tampered body, even one that parses to the same JSON', () => {
    const signed = fake.signWebhook(someEvent(), SECRET);
    const header = signed.headers['x-docuseal-signature'];
    const tampered = Buffer.from(signed.rawBody.toString('utf8').replace('sam@example.com', 'eve@example.com'));
    expect(verifyDocuSealSignature(tampered, header, SECRET)).toBe(false);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(signed.rawBody.toString('utf8')), null, 2));
    expect(verifyDocuSealSignature(reserialised, header, SECRET)).toBe(false);
  });

  it('rejects a missing, empty or malformed header and an empty secret', () => {
    const signed = fake.signWebhook(someEvent(), SECRET);
    const hex = signed.headers['x-docuseal-signature']!.slice('sha256='.length);
    for (const header of [undefined, '', 'sha256=', 'sha256=zz', `sha1=${hex}`, hex.slice(0, 63), `${hex}00`]) {
      expect(verifyDocuSealSignature(signed.rawBody, header, SECRET)).toBe(false);
    }
    expect(verifyDocuSealSignature(signed.rawBody, signed.headers['x-docuseal-signature'], '')).toBe(false);
    const emptyKeyHex = createHmac('sha256', '').update(signed.rawBody).digest('hex');
    expect(verifyDocuSealSignature(signed.rawBody, emptyKeyHex, '')).toBe(false);
  });
});

describe('verifyDocuSealWebhook', () => {
  it('accepts our signature and rejects a request without one', () => {
    const signed = fake.signWebhook(someEvent(), SECRET);
    expect(verifyDocuSealWebhook(signed.rawBody, signed.headers, { secret: SECRET })).toBe(true);
    expect(verifyDocuSealWebhook(signed.rawBody, { 'content-type': 'application/json' }, { secret: SECRET })).toBe(
      false,
    );
    expect(
      verifyDocuSealWebhook(
        signed.rawBody,
        { 'X-DocuSeal-Signature': signed.headers['x-docuseal-signature'] },
        {
          secret: SECRET,
        },
      ),
    ).toBe(true);
  });

  it("accepts DocuSeal's timestamped HMAC only when its signing secret is configured, within 5 minutes", () => {
    const at = new Date('2030-05-01T12:00:00Z');
    const signed = fake.signWebhookLikeDocuSeal(someEvent(), DOCUSEAL_SIGNING_SECRET, at);
    expect(signed.headers['x-docuseal-signature']).toMatch(/^\d+\.[0-9a-f]{64}$/);

    expect(verifyDocuSealWebhook(signed.rawBody, signed.headers, { secret: SECRET, now: at })).toBe(false);
    const auth = { secret: SECRET, docuSealSigningSecret: DOCUSEAL_SIGNING_SECRET };
    expect(verifyDocuSealWebhook(signed.rawBody, signed.headers, { ...auth, now: at })).toBe(true);
    expect(
      verifyDocuSealWebhook(signed.rawBody, signed.headers, { ...auth, now: new Date(at.getTime() + 299_000) }),
    ).toBe(true);
    expect(
      verifyDocuSealWebhook(signed.rawBody, signed.headers, { ...auth, now: new Date(at.getTime() + 301_000) }),
    ).toBe(false);
    expect(
      verifyDocuSealTimestampedSignature(
        Buffer.concat([signed.rawBody, Buffer.from(' ')]),
        signed.headers['x-docuseal-signature'],
        DOCUSEAL_SIGNING_SECRET,
        { now: at },
      ),
    ).toBe(false);
  });

  it("accepts DocuSeal's secret header only when configured, compared exactly", () => {
    const signed = fake.signWebhook(someEvent(), 'not-our-secret');
    const headers = { 'content-type': 'application/json', 'x-webhook-secret': 'k3y-value' };
    expect(verifyDocuSealWebhook(signed.rawBody, headers, { secret: SECRET })).toBe(false);
    const auth = { secret: SECRET, secretHeader: { name: 'X-Webhook-Secret', value: 'k3y-value' } };
    expect(verifyDocuSealWebhook(signed.rawBody, headers, auth)).toBe(true);
    expect(verifyDocuSealWebhook(signed.rawBody, { 'x-webhook-secret': 'k3y-valuE' }, auth)).toBe(false);
    expect(verifyDocuSealWebhook(signed.rawBody, { 'x-webhook-secret': 'k3y-value2' }, auth)).toBe(false);
    expect(verifyDocuSealWebhook(signed.rawBody, { 'x-webhook-secret': ['k3y-value', 'k3y-value'] }, auth)).toBe(false);
  });

  it('treats a repeated signature header as missing', () => {
    const signed = fake.signWebhook(someEvent(), SECRET);
    const sig = signed.headers['x-docuseal-signature']!;
    expect(verifyDocuSealWebhook(signed.rawBody, { 'x-docuseal-signature': [sig, sig] }, { secret: SECRET })).toBe(
      false,
    );
    expect(
      verifyDocuSealWebhook(signed.rawBody, { 'x-docuseal-signature': `${sig}, ${sig}` }, { secret: SECRET }),
    ).toBe(false);
  });
});

describe('parseDocuSealWebhook', () => {
  it('maps each form event of a signer to its kind with the ids, e-mail and external id', () => {
    const events = [
      ...fake.simulateOpen(sellerId),
      ...fake.simulateStart(sellerId),
      ...fake.simulateComplete(sellerId),
      ...fake.simulateDecline(buyerId),
    ];
    expect(events.map((e) => e.event_type)).toEqual(['form.viewed', 'form.started', 'form.completed', 'form.declined']);
    const parsed = events.map((e) => parseDocuSealWebhook(JSON.parse(JSON.stringify(e))));
    expect(parsed).toEqual([
      {
        kind: 'viewed',
        providerSubmissionId: submissionId,
        providerSubmitterId: String(sellerId),
        email: 'sam@example.com',
        externalId: 'signer-1',
        at: new Date(events[0]!.timestamp),
      },
      {
        kind: 'started',
        providerSubmissionId: submissionId,
        providerSubmitterId: String(sellerId),
        email: 'sam@example.com',
        externalId: 'signer-1',
        at: new Date(events[1]!.timestamp),
      },
      {
        kind: 'completed',
        providerSubmissionId: submissionId,
        providerSubmitterId: String(sellerId),
        email: 'sam@example.com',
        externalId: 'signer-1',
        at: new Date(events[2]!.timestamp),
      },
      {
        kind: 'declined',
        providerSubmissionId: submissionId,
        providerSubmitterId: String(buyerId),
        email: 'bea@example.com',
        externalId: 'signer-2',
        at: new Date(events[3]!.timestamp),
      },
    ]);
  });

  it('maps submission.completed and submission.expired', () => {
    fake.simulateComplete(sellerId);
    const completedEvents = fake.simulateComplete(buyerId);
    expect(completedEvents.map((e) => e.event_type)).toEqual(['form.completed', 'submission.completed']);
    const completed = completedEvents[1]!;
    expect(parseDocuSealWebhook(completed)).toEqual({
      kind: 'submission_completed',
      providerSubmissionId: submissionId,
      providerSubmitterId: null,
      email: null,
      externalId: null,
      at: new Date(completed.timestamp),
    });

    const expired = fake.simulateExpire(submissionId)[0]!;
    expect(parseDocuSealWebhook(expired)).toMatchObject({
      kind: 'submission_expired',
      providerSubmissionId: submissionId,
    });
  });

  it('takes the submission id from data.submission when submission_id is absent', () => {
    const event = fake.simulateOpen(sellerId)[0]!;
    const { submission_id: _omit, ...data } = event.data;
    expect(parseDocuSealWebhook({ ...event, data })).toMatchObject({
      kind: 'viewed',
      providerSubmissionId: submissionId,
    });
  });

  it('returns null for event types we do not follow', () => {
    for (const type of [
      'submission.created',
      'submission.archived',
      'template.created',
      'template.updated',
      'form.unknown',
    ]) {
      const event =
        type === 'submission.archived'
          ? {
              event_type: type,
              timestamp: new Date().toISOString(),
              data: { id: Number(submissionId), archived_at: new Date().toISOString() },
            }
          : { ...fake.submissionEvent('submission.created', Number(submissionId)), event_type: type };
      expect(parseDocuSealWebhook(event)).toBeNull();
    }
  });

  it('returns null for malformed bodies', () => {
    const good = fake.simulateOpen(sellerId)[0]!;
    const malformed: unknown[] = [
      null,
      'form.viewed',
      42,
      [],
      {},
      { event_type: 'form.viewed' },
      { ...good, data: null },
      { ...good, data: { ...good.data, id: 'abc' } },
      { ...good, data: { ...good.data, id: undefined } },
      { ...good, data: { ...good.data, submission_id: undefined, submission: undefined } },
      { ...good, timestamp: 'yesterday' },
      { ...good, timestamp: undefined },
      { ...good, data: { ...good.data, email: 7 } },
      { event_type: 'submission.completed', timestamp: good.timestamp, data: { status: 'completed' } },
    ];
    for (const body of malformed) expect(parseDocuSealWebhook(body)).toBeNull();
  });

  it('verifies and parses a signed webhook end to end', () => {
    const signed = fake.signWebhook(fake.simulateComplete(sellerId)[0]!, SECRET);
    expect(verifyDocuSealWebhook(signed.rawBody, signed.headers, { secret: SECRET })).toBe(true);
    expect(parseDocuSealWebhook(JSON.parse(signed.rawBody.toString('utf8')))).toMatchObject({
      kind: 'completed',
      providerSubmissionId: submissionId,
      providerSubmitterId: String(sellerId),
      externalId: 'signer-1',
    });
  });
});
