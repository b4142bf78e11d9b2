import { describe, expect, it } from 'vitest';
import { rejection, signatureRequest as request, useDocuSealFake } from '../../helpers/docuseal-provider.ts';

const docuseal = useDocuSealFake();
const provider = docuseal.provider;

describe('DocuSealProvider.createSubmission', () => {
  it('sends a sequential request as order "preserved" with signing groups, and maps the answer', async () => {
    const result = await provider().createSubmission(request());

    const posts = docuseal.fake.requestsTo('POST', '/submissions');
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.headers['x-auth-token']).toBe(docuseal.fake.apiKey);
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

    const [sellerId, buyerId] = docuseal.fake.submitterIdsOf(result.providerSubmissionId);
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
    expect(docuseal.fake.emails.map((e) => e.email)).toEqual(['sam@example.com']);
  });

  it('sends a parallel request as order "random" without per-signer order, and everybody is asked at once', async () => {
    const result = await provider().createSubmission(
      request({ order: 'parallel', message: 'Sign here: {{submitter.link}}', expiresAt: null }),
    );

    const post = docuseal.fake.requestsTo('POST', '/submissions')[0]!;
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
    expect(docuseal.fake.emails.map((e) => e.email).sort()).toEqual(['bea@example.com', 'sam@example.com']);
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
    const body = docuseal.fake.requestsTo('POST', '/submissions')[0]!.body as Record<string, unknown>;
    expect(body).not.toHaveProperty('message');
    expect(body).not.toHaveProperty('expire_at');
    expect(body.submitters).toMatchObject([
      { role: 'Seller', order: 0 },
      { role: 'Co-Seller', order: 0 },
      { role: 'Buyer', order: 1 },
    ]);
    expect(docuseal.fake.emails.map((e) => e.email).sort()).toEqual(['cory@example.com', 'sam@example.com']);
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
    expect(docuseal.fake.requests).toHaveLength(0);
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
    expect(docuseal.fake.requests).toHaveLength(1);
  });
});

describe('DocuSealProvider.getSubmission', () => {
  it('follows the signers through opened, completed and the submission status', async () => {
    const p = provider();
    const created = await p.createSubmission(request());
    const [sellerId, buyerId] = docuseal.fake.submitterIdsOf(created.providerSubmissionId);

    docuseal.fake.simulateOpen(sellerId!);
    let got = await p.getSubmission(created.providerSubmissionId);
    expect(docuseal.fake.requestsTo('GET', `/submissions/${created.providerSubmissionId}`)).toHaveLength(1);
    expect(got.providerSubmissionId).toBe(created.providerSubmissionId);
    expect(got.status).toBe('pending');
    expect(got.submitters.map((s) => [s.role, s.status, s.externalId])).toEqual([
      ['Seller', 'opened', 'signer-1'],
      ['Buyer', 'pending', 'signer-2'],
    ]);

    docuseal.fake.simulateComplete(sellerId!);
    got = await p.getSubmission(created.providerSubmissionId);
    expect(got.submitters.map((s) => s.status)).toEqual(['completed', 'pending']);
    expect(docuseal.fake.emails.map((e) => e.email)).toEqual(['sam@example.com', 'bea@example.com']);

    docuseal.fake.simulateComplete(buyerId!);
    got = await p.getSubmission(created.providerSubmissionId);
    expect(got.status).toBe('completed');
    expect(got.submitters.map((s) => s.status)).toEqual(['completed', 'completed']);
  });

  it('reports declined and expired submissions', async () => {
    const p = provider();
    const a = await p.createSubmission(request());
    docuseal.fake.simulateDecline(docuseal.fake.submitterIdsOf(a.providerSubmissionId)[0]!);
    const declined = await p.getSubmission(a.providerSubmissionId);
    expect(declined.status).toBe('declined');
    expect(declined.submitters[0]!.status).toBe('declined');

    const b = await p.createSubmission(request());
    docuseal.fake.simulateExpire(b.providerSubmissionId);
    expect((await p.getSubmission(b.providerSubmissionId)).status).toBe('expired');
  });

  it('gives a non-retryable 404 for an unknown submission, and refuses a non-numeric id', async () => {
    const err = await rejection(provider().getSubmission('424242'));
    expect(err).toMatchObject({ kind: 'http', status: 404, retryable: false });
    expect(docuseal.fake.requests).toHaveLength(1);

    const bad = await rejection(provider().getSubmission('../templates/1'));
    expect(bad).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect(docuseal.fake.requests).toHaveLength(1);
  });

  it('rejects a 2xx answer that is not a submission', async () => {
    docuseal.fake.failNext(1, { status: 200, body: { unexpected: true } });
    const err = await rejection(provider().getSubmission('1'));
    expect(err).toMatchObject({ kind: 'invalid_response', retryable: false, status: null });
    expect(docuseal.fake.requests).toHaveLength(1);
  });
});

describe('DocuSealProvider.remind and archive', () => {
  it('reminds with PUT /submitters/{id} {send_email: true}, which re-sends the e-mail', async () => {
    const p = provider();
    const created = await p.createSubmission(request({ order: 'parallel' }));
    const buyer = created.submitters.find((s) => s.role === 'Buyer')!;

    await p.remind(buyer.providerSubmitterId);

    const puts = docuseal.fake.requestsTo('PUT', `/submitters/${buyer.providerSubmitterId}`);
    expect(puts).toHaveLength(1);
    expect(puts[0]!.body).toEqual({ send_email: true });
    expect(puts[0]!.headers['x-auth-token']).toBe(docuseal.fake.apiKey);
    expect(docuseal.fake.emails.filter((e) => e.kind === 'resend')).toEqual([
      { submitterId: Number(buyer.providerSubmitterId), email: 'bea@example.com', kind: 'resend' },
    ]);
  });

  it('fails without retrying to remind a signer who already signed', async () => {
    const p = provider();
    const created = await p.createSubmission(request({ order: 'parallel' }));
    const seller = created.submitters[0]!;
    docuseal.fake.simulateComplete(seller.providerSubmitterId);

    const err = await rejection(p.remind(seller.providerSubmitterId));
    expect(err).toMatchObject({ status: 422, retryable: false });
    expect(err.message).toContain('already completed');
    expect(docuseal.fake.requestsTo('PUT', `/submitters/${seller.providerSubmitterId}`)).toHaveLength(1);
  });

  it('archives with DELETE /submissions/{id}', async () => {
    const p = provider();
    const created = await p.createSubmission(request());
    await p.archive(created.providerSubmissionId);

    expect(docuseal.fake.requestsTo('DELETE', `/submissions/${created.providerSubmissionId}`)).toHaveLength(1);
    expect(docuseal.fake.submissionJson(Number(created.providerSubmissionId)).archived_at).toEqual(expect.any(String));
  });
});
