import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownContext } from '../../call-flows/harness.ts';
import { buildApp } from '../../src/http/app.ts';
import type { AppContext } from '../../src/services.ts';
import { FakeDocuSealServer } from '../fakes/docuseal/fake-docuseal-server.ts';
import { newAgent, testApp, testContext, type TestAgent } from '../helpers/context.ts';

type Contract = {
  id: number;
  name: string;
  status: string;
  is_required: boolean;
  template_key: string | null;
  allowed_next: string[];
};

describe('contracts without an e-signature provider (paper signing)', () => {
  let app: FastifyInstance;
  let ctx: AppContext;
  let a: TestAgent;
  beforeAll(async () => {
    ctx = await testContext();
    app = await testApp();
    a = await newAgent(ctx);
  });

  const create = async (body: Record<string, unknown>) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/properties',
      headers: a.headers,
      payload: { city: 'Austin', state: 'TX', ...body },
    });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: number };
  };
  const contractsOf = async (id: number) =>
    (await app.inject({ url: `/api/properties/${id}/contracts`, headers: a.headers })).json() as Contract[];

  it('auto-attaches what the state requires on creation, lead paint only before 1978', async () => {
    const old = await create({ address: '1962 Lead Ln', year_built: 1962, property_type: 'house', price: 300000 });
    const names = (await contractsOf(old.id)).map((c) => c.name);
    expect(names.some((n) => /Seller'?s Disclosure/i.test(n))).toBe(true);
    expect(names.some((n) => /lead/i.test(n))).toBe(true);
    expect(names.some((n) => /One to Four Family|Purchase/i.test(n))).toBe(true);
    const newer = await create({ address: '1985 New Ln', year_built: 1985, property_type: 'house', price: 300000 });
    expect((await contractsOf(newer.id)).some((c) => /lead/i.test(c.name))).toBe(false);
    expect((await contractsOf(old.id)).every((c) => c.status === 'draft')).toBe(true);
    const purchase = (await contractsOf(old.id)).find(
      (c) => c.template_key && /purchase|one_to_four|resale/i.test(c.template_key),
    );
    expect(purchase).toBeDefined();
  });

  it('serves the TREC template documents as PDF', async () => {
    const templates = (await app.inject({ url: '/api/contract-templates?state=TX', headers: a.headers })).json() as {
      key: string;
      document?: string;
    }[];
    const withDoc = templates.filter((t) => t.document);
    expect(withDoc.length).toBe(2);
    const pdf = await app.inject({ url: `/api/contract-templates/${withDoc[0]!.key}/document`, headers: a.headers });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(100_000);
  });

  it('refuses illegal lifecycle moves with 409 and the allowed ones; overrides requirements', async () => {
    const p = await create({ address: '5 Lifecycle Rd', year_built: 2001 });
    const [first] = await contractsOf(p.id);
    const illegal = await app.inject({
      method: 'POST',
      url: `/api/contracts/${first!.id}/status`,
      headers: a.headers,
      payload: { status: 'completed' },
    });
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().details).toMatchObject({
      from: 'draft',
      to: 'completed',
      allowed: ['sent', 'cancelled', 'expired'],
    });
    const optional = await app.inject({
      method: 'PATCH',
      url: `/api/contracts/${first!.id}/requirement`,
      headers: a.headers,
      payload: { is_required: false, reason: 'Buyer waived it in writing' },
    });
    expect(optional.json()).toMatchObject({
      is_required: false,
      requirement_source: 'manual',
      requirement_reason: 'Buyer waived it in writing',
    });
    const other = await newAgent(ctx);
    expect((await app.inject({ url: `/api/contracts/${first!.id}`, headers: other.headers })).statusCode).toBe(404);
  });

  it('signs on paper: sequential signers, readiness, pipeline completes', async () => {
    const p = await create({ address: '7 Paper Trail', year_built: 2005, property_type: 'house', price: 410000 });
    const buyer = (
      await app.inject({
        method: 'POST',
        url: `/api/properties/${p.id}/contacts`,
        headers: a.headers,
        payload: { name: 'Bea Buyer', role: 'buyer', email: 'bea@example.com' },
      })
    ).json();
    const contracts = await contractsOf(p.id);
    const required = contracts.filter((c) => c.is_required);
    expect(required.length).toBeGreaterThan(0);
    let ready = (await app.inject({ url: `/api/properties/${p.id}/contracts/readiness`, headers: a.headers })).json();
    expect(ready).toMatchObject({
      property_id: p.id,
      is_ready_to_close: false,
      required_contracts: required.length,
      completed_contracts: 0,
    });
    expect(ready.voice_summary).toMatch(/Not ready to close/);

    const noSigners = await app.inject({
      method: 'POST',
      url: `/api/contracts/${required[0]!.id}/send`,
      headers: a.headers,
    });
    expect(noSigners.statusCode).toBe(409);

    for (const c of required) {
      await app.inject({
        method: 'POST',
        url: `/api/contracts/${c.id}/signers`,
        headers: a.headers,
        payload: { name: 'Sam Seller', email: 'sam@example.com', role: 'Seller', signing_order: 1 },
      });
      await app.inject({
        method: 'POST',
        url: `/api/contracts/${c.id}/signers`,
        headers: a.headers,
        payload: { contact_id: buyer.id, role: 'Buyer', signing_order: 2 },
      });
      const sent = await app.inject({ method: 'POST', url: `/api/contracts/${c.id}/send`, headers: a.headers });
      expect(sent.json().status).toBe('sent');
      const remind = (
        await app.inject({ method: 'POST', url: `/api/contracts/${c.id}/remind`, headers: a.headers })
      ).json();
      // Sequential signing waits on the seller first; parallel signing on everyone.
      const sequential = sent.json().signing_order === 'sequential';
      expect(remind.reminded.map((s: { name: string }) => s.name)).toEqual(
        sequential ? ['Sam Seller'] : ['Sam Seller', 'Bea Buyer'],
      );
      const signers = sent.json().signers as { id: number; name: string }[];
      const half = await app.inject({
        method: 'POST',
        url: `/api/contracts/${c.id}/signers/${signers[0]!.id}/status`,
        headers: a.headers,
        payload: { status: 'completed' },
      });
      expect(half.json().status).toBe('pending_signature');
      const nextRemind = (
        await app.inject({ method: 'POST', url: `/api/contracts/${c.id}/remind`, headers: a.headers })
      ).json();
      expect(nextRemind.reminded.map((s: { name: string }) => s.name)).toEqual(['Bea Buyer']);
      const done = await app.inject({
        method: 'POST',
        url: `/api/contracts/${c.id}/signers/${signers[1]!.id}/status`,
        headers: a.headers,
        payload: { status: 'completed' },
      });
      expect(done.json().status).toBe('completed');
    }
    ready = (await app.inject({ url: `/api/properties/${p.id}/contracts/readiness`, headers: a.headers })).json();
    expect(ready.is_ready_to_close).toBe(true);
    expect(ready.voice_summary).toMatch(/Ready to close/i);
    const signed = (await app.inject({ url: '/api/notifications?type=contract_signed', headers: a.headers })).json();
    expect(signed.filter((n: { property_id: number }) => n.property_id === p.id)).toHaveLength(required.length);

    // With facts in place the pipeline walks to complete.
    await ctx.services.research.recordEnrichment(a.scope(), p.id, { source: 'manual' });
    await ctx.services.research.recordSkipTrace(a.scope(), p.id, { owner_name: 'Sam Seller' });
    const stages: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = (
        await app.inject({
          method: 'POST',
          url: '/api/pipeline/check',
          headers: a.headers,
          payload: { property_ids: [p.id] },
        })
      ).json();
      stages.push(...r.advanced.map((x: { to: string }) => x.to));
    }
    expect(stages).toEqual(['enriched', 'researched', 'waiting_for_contracts', 'complete']);
  });
});

describe('contracts through DocuSeal (fake server on 127.0.0.1)', () => {
  const secret = 'test-webhook-secret-0123456789';
  let fake: FakeDocuSealServer;
  let ctx: AppContext;
  let app: FastifyInstance;
  let a: TestAgent;
  beforeAll(async () => {
    fake = await FakeDocuSealServer.start({ templates: { 1001: ['Seller', 'Buyer'] } });
    ctx = await ownContext({
      DOCUSEAL_API_KEY: fake.apiKey,
      DOCUSEAL_URL: fake.url,
      DOCUSEAL_WEBHOOK_SECRET: secret,
    });
    app = await buildApp(ctx);
    a = await newAgent(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await fake?.close();
  });

  it('sends a submission, applies signed webhooks, refuses unsigned ones', async () => {
    const p = (
      await app.inject({
        method: 'POST',
        url: '/api/properties',
        headers: a.headers,
        payload: { address: '9 Esign Ave', city: 'Austin', state: 'TX', year_built: 2010 },
      })
    ).json();
    const c = (
      await app.inject({
        method: 'POST',
        url: `/api/properties/${p.id}/contracts`,
        headers: a.headers,
        payload: { name: 'Listing Agreement', provider_template_id: '1001', signing_order: 'sequential' },
      })
    ).json();
    await app.inject({
      method: 'POST',
      url: `/api/contracts/${c.id}/signers`,
      headers: a.headers,
      payload: { name: 'Sam Seller', email: 'sam@example.com', role: 'Seller', signing_order: 1 },
    });
    await app.inject({
      method: 'POST',
      url: `/api/contracts/${c.id}/signers`,
      headers: a.headers,
      payload: { name: 'Bea Buyer', email: 'bea@example.com', role: 'Buyer', signing_order: 2 },
    });
    const sent = await app.inject({ method: 'POST', url: `/api/contracts/${c.id}/send`, headers: a.headers });
    expect(sent.statusCode).toBe(200);
    expect(sent.json().provider_submission_id).toMatch(/^\d+$/);
    const create = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/submissions'));
    expect(create?.body).toMatchObject({ template_id: 1001, order: 'preserved' });

    const submitters = sent.json().signers as { name: string }[];
    expect(submitters).toHaveLength(2);
    const submission = Number(sent.json().provider_submission_id);
    const ids = fake.submitterIdsOf(submission);

    const post = (body: Buffer, headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/webhooks/docuseal', headers, payload: body });
    const [viewed] = fake.simulateOpen(ids[0]!);
    const unsigned = await post(Buffer.from(JSON.stringify(viewed)), { 'content-type': 'application/json' });
    expect(unsigned.statusCode).toBe(401);
    const forged = fake.signWebhook(viewed!, 'not-the-secret-at-all');
    expect((await post(forged.rawBody, forged.headers)).statusCode).toBe(401);
    expect((await app.inject({ url: `/api/contracts/${c.id}`, headers: a.headers })).json().status).toBe('sent');

    const completions = [...fake.simulateComplete(ids[0]!), ...fake.simulateComplete(ids[1]!)];
    for (const event of completions) {
      const signedEvent = fake.signWebhook(event, secret);
      const res = await post(signedEvent.rawBody, signedEvent.headers);
      expect([200, 202]).toContain(res.statusCode);
    }
    const after = (await app.inject({ url: `/api/contracts/${c.id}`, headers: a.headers })).json();
    expect(after.status).toBe('completed');
    expect(after.signers.map((s: { status: string }) => s.status)).toEqual(['completed', 'completed']);
    // a replayed event changes nothing
    const replay = fake.signWebhook(completions[0]!, secret);
    expect((await post(replay.rawBody, replay.headers)).statusCode).toBeLessThan(500);
    expect((await app.inject({ url: `/api/contracts/${c.id}`, headers: a.headers })).json().status).toBe('completed');
  });
});
