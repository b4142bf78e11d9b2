import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLine, startCallServer, type CallServer } from '../../call-flows/harness.ts';
import { Property } from '../../src/domain/properties/property.entity.ts';
import { placeCall } from '../../src/softphone/index.ts';
import { FakeOpenAiServer } from '../fakes/llm/fake-openai-server.ts';

/**
 * Voice commands on an LLM brain (the fake OpenAI on 127.0.0.1): free phrasing and several steps in one request.
 * Whatever the model asks, a change runs only after the caller's yes — the runtime holds it, not the prompt.
 */
describe('voice commands on the LLM brain', () => {
  let fake: FakeOpenAiServer;
  let server: CallServer;

  beforeAll(async () => {
    fake = await FakeOpenAiServer.start();
    server = await startCallServer({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('a multi-step request: the read runs at once, the change waits for the yes; a no writes nothing', async () => {
    const line = await newLine(server.ctx);
    await server.ctx.services.agents.setPin({ em: server.ctx.orm.em.fork(), agentId: line.agentId }, '4821');
    const elm = await server.ctx.orm.em.fork().findOneOrFail(Property, { agent: line.agentId, address: '141 Elm St' });

    // "Is the Elm one ready to close — and bump it to 875": first the read, then the change.
    const request = 'bump the Elm one to 875';
    fake.script(
      request,
      { text: '', toolCalls: [{ name: 'contract_readiness', arguments: { property_id: elm.id } }] },
      1,
    );
    fake.script(
      request,
      {
        text: 'It is not ready to close yet. I will set the price of 141 Elm St to $875,000.',
        toolCalls: [{ name: 'update_property', arguments: { property_id: elm.id, price: 875_000 } }],
      },
      1,
    );
    fake.script('delete it', {
      text: 'I will delete 141 Elm St.',
      toolCalls: [{ name: 'delete_property', arguments: { property_id: elm.id, confirm: true } }],
    });

    const call = await placeCall({
      authToken: server.authToken,
      server: server.base,
      apiKey: line.apiKey,
      from: line.mobile,
      to: line.line,
    });
    expect(await call.dtmf('4821#', { waitMs: 5_000 })).toMatch(/You're in/);
    const held = await call.say(`Is it ready to close? And ${request} thousand.`);
    expect(held).toMatch(
      /not ready to close yet\. I will set the price of 141 Elm St to \$875,000\. Shall I go ahead\?/,
    );
    const read = async () => (await server.ctx.orm.em.fork().findOneOrFail(Property, elm.id)).price;
    expect(await read()).toBe(850_000); // held, not run
    expect(await call.say('yes please')).toMatch(/Anything else\?/);
    expect(await read()).toBe(875_000);

    expect(await call.say('delete it')).toMatch(/I will delete 141 Elm St\. Shall I go ahead\?/);
    expect(await call.say('no')).toMatch(/won't/);
    expect(await server.ctx.orm.em.fork().findOne(Property, elm.id)).not.toBeNull();
    await call.hangup();

    // The model saw the voice-command tools (and the read's result before it asked for the change).
    const bodies = fake.requests.filter((r) => r.stream).map((r) => r.rawBody);
    expect(bodies[0]).toContain('update_property');
    expect(bodies.some((b) => b.includes('Not ready to close'))).toBe(true);
  });
});
