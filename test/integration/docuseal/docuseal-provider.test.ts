import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SignatureRequest } from '../../../src/domain/contracts/esignature.port.ts';
import {
  DocuSealProvider,
  type DocuSealProviderOptions,
} from '../../../src/integrations/docuseal/docuseal-provider.ts';
import { isRetryableStatus, ProviderError } from '../../../src/integrations/docuseal/provider-error.ts';
import { FakeDocuSealServer } from '../../fakes/docuseal/fake-docuseal-server.ts';

let fake: FakeDocuSealServer;

beforeAll(async () => {
  fake = await FakeDocuSealServer.start({
    templates: { 1001: ['Seller', 'Buyer'], 2002: ['Seller', 'Co-Seller', 'Buyer'] },
  });
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

function provider(overrides: Partial<DocuSealProviderOptions> = {}): DocuSealProvider {
  return new DocuSealProvider({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    timeoutMs: 2_000,
    maxRetries: 2,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 50,
    ...overrides,
  });
}

function request(overrides: Partial<SignatureRequest> = {}): SignatureRequest {
  return {
    providerTemplateId: '1001',
    documentName: 'Purchase agreement – 141 Elm St',
    order: 'sequential',
    externalId: 'contract-77',
    message: 'Please review and sign.',
    expiresAt: new Date('2030-01-31T17:00:00.000Z'),
    // Deliberately out of order: the adapter sorts by `order`.
    signers: [
      { name: 'Bea Buyer', email: 'bea@example.com', role: 'Buyer', order: 2, externalId: 'signer-2' },
      { name: 'Sam Seller', email: 'sam@example.com', role: 'Seller', order: 1, externalId: 'signer-1' },
    ],
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('DocuSealProvider.createSubmission', () => {
  it('sends a sequential request as order "preserved" with signing groups, and maps the answer', async () => {
    const result = await provider().createSubmission(request());

    const posts = fake.requestsTo('POST', '/submissions');
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.headers['x-auth-token']).toBe(fake.apiKey);
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.body).toEqual({
      template_id: 1001,
      send_email: true,
      order: 'preserved',
      submitters: [
        {
          role: 'Seller',
          email: 'sam@example.com',
          name: 'Sam Seller',
          external_id: 'signer-1',
          order: 0,
          metadata: { contract_external_id: 'contract-77' },
        },
        {
          role: 'Buyer',
          email: 'bea@example.com',
          name: 'Bea Buyer',
          external_id: 'signer-2',
          order: 1,
          metadata: { contract_external_id: 'contract-77' },
        },
      ],
      message: {
        subject: 'Purchase agreement – 141 Elm St',
        body: 'Please review and sign.\n\n{{submitter.link}}',
      },
      expire_at: '2030-01-31T17:00:00.000Z',
    });

    const [sellerId, buyerId] = fake.submitterIdsOf(result.providerSubmissionId);
    expect(result).toEqual({
      providerSubmissionId: expect.stringMatching(/^\d+$/),
      status: 'pending',
      submitters: [
        {
          providerSubmitterId: String(sellerId),
          email: 'sam@example.com',
          role: 'Seller',
          status: 'pending',
          url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/s\/.+/),
          externalId: 'signer-1',
        },
        {
          providerSubmitterId: String(buyerId),
          email: 'bea@example.com',
          role: 'Buyer',
          status: 'pending',
          url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/s\/.+/),
          externalId: 'signer-2',
        },
      ],
    });
    // Preserved order: only the first group has been asked so far.
    expect(fake.emails.map((e) => e.email)).toEqual(['sam@example.com']);
  });

  it('sends a parallel request as order "random" without per-signer order, and everybody is asked at once', async () => {
    const result = await provider().createSubmission(
      request({ order: 'parallel', message: 'Sign here: {{submitter.link}}', expiresAt: null }),
    );

    const post = fake.requestsTo('POST', '/submissions')[0]!;
    expect(post.body).toEqual({
      template_id: 1001,
      send_email: true,
      order: 'random',
      submitters: [
        {
          role: 'Seller',
          email: 'sam@example.com',
          name: 'Sam Seller',
          external_id: 'signer-1',
          metadata: { contract_external_id: 'contract-77' },
        },
        {
          role: 'Buyer',
          email: 'bea@example.com',
          name: 'Bea Buyer',
          external_id: 'signer-2',
          metadata: { contract_external_id: 'contract-77' },
        },
      ],
      message: { subject: 'Purchase agreement – 141 Elm St', body: 'Sign here: {{submitter.link}}' },
    });
    expect(result.submitters.map((s) => s.status)).toEqual(['pending', 'pending']);
    expect(fake.emails.map((e) => e.email).sort()).toEqual(['bea@example.com', 'sam@example.com']);
  });

  it('gives signers with equal order numbers one signing group', async () => {
    await provider().createSubmission(
      request({
        providerTemplateId: '2002',
        message: null,
        expiresAt: undefined,
        signers: [
          { name: 'Bea Buyer', email: 'bea@example.com', role: 'Buyer', order: 2, externalId: 's3' },
          { name: 'Sam Seller', email: 'sam@example.com', role: 'Seller', order: 1, externalId: 's1' },
          { name: 'Cory Seller', email: 'cory@example.com', role: 'Co-Seller', order: 1, externalId: 's2' },
        ],
      }),
    );
    const body = fake.requestsTo('POST', '/submissions')[0]!.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('message');
    expect(body).not.toHaveProperty('expire_at');
    expect(body.submitters).toMatchObject([
      { role: 'Seller', order: 0 },
      { role: 'Co-Seller', order: 0 },
      { role: 'Buyer', order: 1 },
    ]);
    expect(fake.emails.map((e) => e.email).sort()).toEqual(['cory@example.com', 'sam@example.com']);
  });

  it('refuses, without calling DocuSeal, a request it cannot express', async () => {
    for (const bad of [
      request({ providerTemplateId: null }),
      request({ providerTemplateId: 'tpl_abc' }),
      request({ signers: [] }),
    ]) {
      const err = await rejection(provider().createSubmission(bad));
      expect(err).toMatchObject({ kind: 'invalid_request', retryable: false, status: null });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('maps DocuSeal validation errors to a non-retryable error with the message', async () => {
    const err = await rejection(
      provider().createSubmission(
        request({ signers: [{ name: 'X', email: 'x@example.com', role: 'Landlord', order: 1, externalId: 'x' }] }),
      ),
    );
    expect(err).toMatchObject({
      kind: 'http',
      status: 422,
      retryable: false,
      detail: 'Unknown submitter role: Landlord',
    });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('DocuSealProvider.getSubmission', () => {
  it('follows the signers through opened, completed and the submission status', async () => {
    const p = provider();
    const created = await p.createSubmission(request());
    const [sellerId, buyerId] = fake.submitterIdsOf(created.providerSubmissionId);

    fake.simulateOpen(sellerId!);
    let got = await p.getSubmission(created.providerSubmissionId);
    expect(fake.requestsTo('GET', `/submissions/${created.providerSubmissionId}`)).toHaveLength(1);
    expect(got.providerSubmissionId).toBe(created.providerSubmissionId);
    expect(got.status).toBe('pending');
    expect(got.submitters.map((s) => [s.role, s.status, s.externalId])).toEqual([
      ['Seller', 'opened', 'signer-1'],
      ['Buyer', 'pending', 'signer-2'],
    ]);

    fake.simulateComplete(sellerId!);
    got = await p.getSubmission(created.providerSubmissionId);
    expect(got.submitters.map((s) => s.status)).toEqual(['completed', 'pending']);
    expect(fake.emails.map((e) => e.email)).toEqual(['sam@example.com', 'bea@example.com']);

    fake.simulateComplete(buyerId!);
    got = await p.getSubmission(created.providerSubmissionId);
    expect(got.status).toBe('completed');
    expect(got.submitters.map((s) => s.status)).toEqual(['completed', 'completed']);
  });

  it('reports declined and expired submissions', async () => {
    const p = provider();
    const a = await p.createSubmission(request());
    fake.simulateDecline(fake.submitterIdsOf(a.providerSubmissionId)[0]!);
    const declined = await p.getSubmission(a.providerSubmissionId);
    expect(declined.status).toBe('declined');
    expect(declined.submitters[0]!.status).toBe('declined');

    const b = await p.createSubmission(request());
    fake.simulateExpire(b.providerSubmissionId);
    expect((await p.getSubmission(b.providerSubmissionId)).status).toBe('expired');
  });

  it('gives a non-retryable 404 for an unknown submission, and refuses a non-numeric id', async () => {
    const err = await rejection(provider().getSubmission('424242'));
    expect(err).toMatchObject({ kind: 'http', status: 404, retryable: false });
    expect(fake.requests).toHaveLength(1);

    const bad = await rejection(provider().getSubmission('../templates/1'));
    expect(bad).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it('rejects a 2xx answer that is not a submission', async () => {
    fake.failNext(1, { status: 200, body: { unexpected: true } });
    const err = await rejection(provider().getSubmission('1'));
    expect(err).toMatchObject({ kind: 'invalid_response', retryable: false, status: null });
    expect(fake.requests).toHaveLength(1);
  });
});

describe('DocuSealProvider.remind and archive', () => {
  it('reminds with PUT /submitters/{id} {send_email: true}, which re-sends the e-mail', async () => {
    const p = provider();
    const created = await p.createSubmission(request({ order: 'parallel' }));
    const buyer = created.submitters.find((s) => s.role === 'Buyer')!;

    await p.remind(buyer.providerSubmitterId);

    const puts = fake.requestsTo('PUT', `/submitters/${buyer.providerSubmitterId}`);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.body).toEqual({ send_email: true });
    expect(puts[0]!.headers['x-auth-token']).toBe(fake.apiKey);
    expect(fake.emails.filter((e) => e.kind === 'resend')).toEqual([
      { submitterId: Number(buyer.providerSubmitterId), email: 'bea@example.com', kind: 'resend' },
    ]);
  });

  it('fails without retrying to remind a signer who already signed', async () => {
    const p = provider();
    const created = await p.createSubmission(request({ order: 'parallel' }));
    const seller = created.submitters[0]!;
    fake.simulateComplete(seller.providerSubmitterId);

    const err = await rejection(p.remind(seller.providerSubmitterId));
    expect(err).toMatchObject({ status: 422, retryable: false });
    expect(err.message).toContain('already completed');
    expect(fake.requestsTo('PUT', `/submitters/${seller.providerSubmitterId}`)).toHaveLength(1);
  });

  it('archives with DELETE /submissions/{id}', async () => {
    const p = provider();
    const created = await p.createSubmission(request());
    await p.archive(created.providerSubmissionId);

    expect(fake.requestsTo('DELETE', `/submissions/${created.providerSubmissionId}`)).toHaveLength(1);
    expect(fake.submissionJson(Number(created.providerSubmissionId)).archived_at).toEqual(expect.any(String));
  });
});

describe('DocuSealProvider errors and retries', () => {
  it('classifies statuses: 4xx final except 408 and 429; 5xx retryable', () => {
    expect([400, 401, 403, 404, 409, 422].map(isRetryableStatus)).toEqual([false, false, false, false, false, false]);
    expect([408, 429, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
  });

  it('a bad API key is a non-retryable 401, tried once', async () => {
    const err = await rejection(provider({ apiKey: 'wrong-key' }).getSubmission('1'));
    expect(err).toMatchObject({ kind: 'http', status: 401, retryable: false, detail: 'Not authenticated' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.headers['x-auth-token']).toBe('wrong-key');
  });

  it('retries a 500 twice and then succeeds', async () => {
    const p = provider();
    const created = await p.createSubmission(request());
    fake.requests.length = 0;
    fake.failNext(2, { status: 500 });

    const got = await p.getSubmission(created.providerSubmissionId);

    expect(got.providerSubmissionId).toBe(created.providerSubmissionId);
    expect(fake.requestsTo('GET', `/submissions/${created.providerSubmissionId}`)).toHaveLength(3);
  });

  it('gives up after maxRetries with a retryable error', async () => {
    fake.failNext(5, { status: 503 });
    const err = await rejection(provider({ maxRetries: 2 }).archive('1'));
    expect(err).toMatchObject({ kind: 'http', status: 503, retryable: true });
    expect(fake.requests).toHaveLength(3);
  });

  it('retries a 429 even for createSubmission, which then creates one submission', async () => {
    fake.failNext(1, { status: 429, headers: { 'retry-after': '0' } });
    const created = await provider().createSubmission(request());
    expect(fake.requestsTo('POST', '/submissions')).toHaveLength(2);
    expect(fake.submitterIdsOf(created.providerSubmissionId)).toHaveLength(2);
  });

  it('does not wait out a Retry-After longer than retryMaxDelayMs', async () => {
    fake.failNext(1, { status: 429, headers: { 'retry-after': '120' } });
    const err = await rejection(provider().getSubmission('1'));
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterMs: 120_000 });
    expect(fake.requests).toHaveLength(1);
  });

  it('does not repeat createSubmission after a 500, which may have created it', async () => {
    fake.failNext(1, { status: 500 });
    const err = await rejection(provider().createSubmission(request()));
    expect(err).toMatchObject({ kind: 'http', status: 500, retryable: true, unprocessed: false });
    expect(fake.requestsTo('POST', '/submissions')).toHaveLength(1);
  });

  it('times out a hanging call', async () => {
    fake.hangNext(1);
    const started = Date.now();
    const err = await rejection(provider({ timeoutMs: 150, maxRetries: 0 }).getSubmission('1'));
    expect(err).toMatchObject({ kind: 'timeout', status: null, retryable: true });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries an idempotent call after a timeout', async () => {
    const p = provider({ timeoutMs: 150, maxRetries: 1 });
    const created = await p.createSubmission(request());
    fake.requests.length = 0;
    fake.hangNext(1);
    const got = await p.getSubmission(created.providerSubmissionId);
    expect(got.providerSubmissionId).toBe(created.providerSubmissionId);
    expect(fake.requests).toHaveLength(2);
  });

  it('does not repeat createSubmission after a timeout', async () => {
    fake.hangNext(1);
    const err = await rejection(provider({ timeoutMs: 150, maxRetries: 3 }).createSubmission(request()));
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a refused connection as a retryable network error the request never reached', async () => {
    const port = await closedPort();
    const err = await rejection(
      provider({ baseUrl: `http://127.0.0.1:${port}/api`, maxRetries: 1 }).createSubmission(request()),
    );
    expect(err).toMatchObject({ kind: 'network', status: null, retryable: true, unprocessed: true });
    expect(err.detail).toBe('ECONNREFUSED');
  });

  it('validates its options', () => {
    expect(() => new DocuSealProvider({ apiKey: '' })).toThrow(/apiKey/);
    expect(() => new DocuSealProvider({ apiKey: 'k', baseUrl: 'ftp://x' })).toThrow(/http/);
    expect(() => new DocuSealProvider({ apiKey: 'k', timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(new DocuSealProvider({ apiKey: 'k' }).name).toBe('docuseal');
  });
});

/** A port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
