import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownContext } from '../../call-flows/harness.ts';
import { dollarAmounts } from '../../src/domain/shared/llm-assist.ts';
import { buildApp } from '../../src/http/app.ts';
import type { AppContext } from '../../src/services.ts';
import { FakeOpenAiServer } from '../fakes/llm/fake-openai-server.ts';
import { newAgent, type TestAgent } from '../helpers/context.ts';

/** The LLM-backed variants against a fake OpenAI on 127.0.0.1, and their fall-back to the rules. */
describe('with a language model configured', () => {
  let fake: FakeOpenAiServer;
  let ctx: AppContext;
  let app: FastifyInstance;
  let a: TestAgent;
  const get = (url: string) => app.inject({ url, headers: a.headers });
  const post = (url: string, payload?: unknown) =>
    app.inject({ method: 'POST', url, headers: a.headers, payload: payload ?? {} });

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start();
    ctx = await ownContext({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url });
    app = await buildApp(ctx);
    a = await newAgent(ctx);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    await fake?.close();
  });

  it('tier-2 contract suggestions: the model ranks registry templates; an invented key is refused', async () => {
    const p = (
      await post('/api/properties', {
        address: '1 Model Way',
        city: 'Austin',
        state: 'TX',
        year_built: 1962,
        property_type: 'house',
        price: 300000,
      })
    ).json();
    const candidates = (await ctx.services.contracts.matches(a.scope(), p.id)).filter((m) => !m.auto_attach);
    expect(candidates.length).toBeGreaterThan(0);
    const key = candidates[0]!.key;
    fake.script(
      '"candidates"',
      JSON.stringify({ suggestions: [{ template_key: key, reason: 'The buyer is financing; protect the deposit.' }] }),
      1,
    );
    const res = (await get(`/api/properties/${p.id}/contracts/suggestions`)).json();
    expect(res.source).toBe('llm');
    expect(res.suggestions[0]).toMatchObject({
      template_key: key,
      origin: 'llm',
      reason: 'The buyer is financing; protect the deposit.',
    });
    const call = fake.requests.at(-1)!;
    expect(call.status).toBe(200);

    fake.script('"candidates"', JSON.stringify({ suggestions: [{ template_key: 'made_up_form', reason: 'x' }] }), 1);
    const refused = (await get(`/api/properties/${p.id}/contracts/suggestions`)).json();
    expect(refused).toMatchObject({ source: 'rules', llm_note: 'llm_answer_rejected' });
    expect(refused.suggestions.every((s: { origin: string }) => s.origin === 'rules')).toBe(true);
  });

  it('next action: the model picks one of the allowed actions; a vendor failure falls back to the rules', async () => {
    const p = (await post('/api/properties', { address: '2 Model Way', city: 'Denver', state: 'CO' })).json();
    fake.script(
      '"heartbeat"',
      JSON.stringify({
        action_code: 'call_contact',
        reasoning: 'No one has talked to the seller this week.',
        priority: 'high',
      }),
      1,
    );
    const next = (await get(`/api/properties/${p.id}/next-action`)).json();
    expect(next).toMatchObject({
      source: 'llm',
      action_code: 'call_contact',
      action: 'Call the buyer or seller',
      priority: 'high',
    });
    fake.failNext(500, { times: 3 }); // one call: the first try and 2 retries
    const fallback = (await get(`/api/properties/${p.id}/next-action`)).json();
    expect(fallback).toMatchObject({ source: 'rules', action: 'Enrich the property with market data' });
  });

  it('counter-offer letter: a rewrite must keep every figure, else the template letter is used', async () => {
    const p = (
      await post('/api/properties', { address: '3 Model Way', city: 'Denver', state: 'CO', price: 850000 })
    ).json();
    const offer = (
      await post(`/api/properties/${p.id}/offers`, { offer_price: 800000, earnest_money: 10000, closing_days: 30 })
    ).json();
    fake.failNext(500, { times: 3 }); // one call: the first try and 2 retries
    const template = (await post(`/api/offers/${offer.id}/counter-letter`)).json();
    expect(template.source).toBe('rules');
    const figures = dollarAmounts(template.letter).map((n) => `$${n.toLocaleString('en-US')}`);
    const rewrite = `Dear Buyer,\n\nThank you for your thoughtful offer on 3 Model Way. ${figures.join(', ')} are the figures we discussed, restated here in full so nothing is lost. We look forward to hearing from you.\n\nWarm regards`;
    fake.script('3 Model Way', JSON.stringify({ letter: rewrite }), 1);
    const warm = (await post(`/api/offers/${offer.id}/counter-letter`)).json();
    expect(warm).toMatchObject({ source: 'llm', letter: rewrite, counter_price: template.counter_price });
    fake.script(
      '3 Model Way',
      JSON.stringify({ letter: `Dear Buyer, we counter at $999,999. ${'Kind words. '.repeat(20)}` }),
      1,
    );
    expect((await post(`/api/offers/${offer.id}/counter-letter`)).json().source).toBe('rules');
  });

  it('daily digest: written by the model when its voice summary is 2–3 sentences', async () => {
    const briefing = 'Good morning. You have three active listings and one needs attention today. '.repeat(3);
    fake.script(
      '"portfolio"',
      JSON.stringify({ briefing, voice_summary: 'Good morning. One listing needs attention today.' }),
      1,
    );
    const d = (await get('/api/digest')).json();
    expect(d).toMatchObject({
      source: 'llm',
      text: briefing,
      voice_summary: 'Good morning. One listing needs attention today.',
    });
    fake.script('"portfolio"', JSON.stringify({ briefing, voice_summary: 'Too long. Way. Too. Many. Sentences.' }), 1);
    expect((await get('/api/digest')).json().source).toBe('rules');
  });
});
