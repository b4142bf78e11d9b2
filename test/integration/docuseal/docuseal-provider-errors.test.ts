import { describe, expect, it } from 'vitest';
import { DocuSealProvider } from '../../../src/integrations/docuseal/docuseal-provider.ts';
import { isRetryableStatus } from '../../../src/integrations/docuseal/provider-error.ts';
import { rejection, signatureRequest as request, useDocuSealFake } from '../../helpers/docuseal-provider.ts';
import { closedPort } from '../../helpers/net.ts';

const docuseal = useDocuSealFake();
const provider = docuseal.provider;

describe('DocuSealProvider errors and retries', () => {
  it('classifies statuses: 4xx final except 408 and 429; 5xx retryable', () => {
    expect([400, 401, 403, 404, 409, 422].map(isRetryableStatus)).toEqual([false, false, false, false, false, false]);
    expect([408, 429, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
  });

  it('a bad API key is a non-retryable 401, tried once', async () => {
    const err = await rejection(provider({ apiKey: 'wrong-key' }).getSubmission('1'));
    expect(err).toMatchObject({ kind: 'http', status: 401, retryable: false, detail: 'Not authenticated' });
    expect(docuseal.fake.requests).toHaveLength(1);
    expect(docuseal.fake.requests[0]!.headers['x-auth-token']).toBe('wrong-key');
  });

  it('retries a 500 twice and then succeeds', async () => {
    const p = provider();
    const created = await p.createSubmission(request());
    docuseal.fake.requests.length = 0;
    docuseal.fake.failNext(2, { status: 500 });

    const got = await p.getSubmission(created.providerSubmissionId);

    expect(got.providerSubmissionId).toBe(created.providerSubmissionId);
    expect(docuseal.fake.requestsTo('GET', `/submissions/${created.providerSubmissionId}`)).toHaveLength(3);
  });

  it('gives up after maxRetries with a retryable error', async () => {
    docuseal.fake.failNext(5, { status: 503 });
    const err = await rejection(provider({ maxRetries: 2 }).archive('1'));
    expect(err).toMatchObject({ kind: 'http', status: 503, retryable: true });
    expect(docuseal.fake.requests).toHaveLength(3);
  });

  it('retries a 429 even for createSubmission, which then creates one submission', async () => {
    docuseal.fake.failNext(1, { status: 429, headers: { 'retry-after': '0' } });
    const created = await provider().createSubmission(request());
    expect(docuseal.fake.requestsTo('POST', '/submissions')).toHaveLength(2);
    expect(docuseal.fake.submitterIdsOf(created.providerSubmissionId)).toHaveLength(2);
  });

  it('does not wait out a Retry-After longer than retryMaxDelayMs', async () => {
    docuseal.fake.failNext(1, { status: 429, headers: { 'retry-after': '120' } });
    const err = await rejection(provider().getSubmission('1'));
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterMs: 120_000 });
    expect(docuseal.fake.requests).toHaveLength(1);
  });

  it('does not repeat createSubmission after a 500, which may have created it', async () => {
    docuseal.fake.failNext(1, { status: 500 });
    const err = await rejection(provider().createSubmission(request()));
    expect(err).toMatchObject({ kind: 'http', status: 500, retryable: true, unprocessed: false });
    expect(docuseal.fake.requestsTo('POST', '/submissions')).toHaveLength(1);
  });

  it('times out a hanging call', async () => {
    docuseal.fake.hangNext(1);
    const started = Date.now();
    const err = await rejection(provider({ timeoutMs: 150, maxRetries: 0 }).getSubmission('1'));
    expect(err).toMatchObject({ kind: 'timeout', status: null, retryable: true });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(docuseal.fake.requests).toHaveLength(1);
  });

  it('retries an idempotent call after a timeout', async () => {
    const p = provider({ timeoutMs: 150, maxRetries: 1 });
    const created = await p.createSubmission(request());
    docuseal.fake.requests.length = 0;
    docuseal.fake.hangNext(1);
    const got = await p.getSubmission(created.providerSubmissionId);
    expect(got.providerSubmissionId).toBe(created.providerSubmissionId);
    expect(docuseal.fake.requests).toHaveLength(2);
  });

  it('does not repeat createSubmission after a timeout', async () => {
    docuseal.fake.hangNext(1);
    const err = await rejection(provider({ timeoutMs: 150, maxRetries: 3 }).createSubmission(request()));
    expect(err).toMatchObject({ kind: 'timeout', retryable: true });
    expect(docuseal.fake.requests).toHaveLength(1);
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
