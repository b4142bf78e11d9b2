import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newLine, startCallServer, type CallServer } from '../../call-flows/harness.ts';
import { placeCall } from '../../src/softphone/index.ts';
import { FakeAnthropicServer } from '../fakes/llm/fake-anthropic-server.ts';
import { FakeOpenAiServer } from '../fakes/llm/fake-openai-server.ts';

/**
 * A whole phone call on an LLM brain (fake vendor servers on 127.0.0.1): the model is offered only the tools the
 * machine allows in the current state, its tool calls run through the registry, their results go back to it,
 * and its streamed text reaches the caller.
 */
interface ChatBody {
  messages: { role: string; content?: unknown; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
}

describe.each(['openai', 'anthropic'] as const)('a call on the %s brain', (vendor) => {
  let fake: FakeOpenAiServer | FakeAnthropicServer;
  let server: CallServer;

  beforeAll(async () => {
    fake = vendor === 'openai' ? await FakeOpenAiServer.start() : await FakeAnthropicServer.start();
    server = await startCallServer(
      vendor === 'openai'
        ? { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url }
        : { ANTHROPIC_API_KEY: fake.apiKey, ANTHROPIC_BASE_URL: fake.url },
    );
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('looks the listing up with a tool, answers from its result, and only sees the allowed tools', async () => {
    fake.script(
      '141 Elm',
      {
        text: 'Let me look that up.',
        toolCalls: [{ name: 'listing_info', arguments: { property: '141 Elm Street' } }],
      },
      1,
    );
    fake.script(
      '141 Elm',
      { text: 'It is listed at eight hundred fifty thousand dollars. Would you like to see it?' },
      1,
    );
    const line = await newLine(server.ctx);
    const call = await placeCall({
      authToken: server.authToken,
      server: server.base,
      apiKey: line.apiKey,
      from: '+15125550199',
      to: line.line,
    });
    const reply = await call.say('How much is 141 Elm Street?');
    expect(reply).toMatch(/Let me look that up\. It is listed at eight hundred fifty thousand dollars\./);
    await call.waitForEvent((e) => e.type === 'tool' && e.name === 'listing_info');
    expect(call.events.find((e) => e.type === 'tool')).toMatchObject({ name: 'listing_info', ok: true });
    await call.hangup();

    const [first, second] = fake.requests.filter((r) => r.stream);
    expect(first && second).toBeTruthy();
    const offered = (body: unknown): string[] =>
      vendor === 'openai'
        ? ((body as ChatBody).tools ?? []).map((t) => t.function.name)
        : ((body as { tools?: { name: string }[] }).tools ?? []).map((t) => t.name);
    // Before the property is known, only the triage tools; after listing_info found it, the property tools.
    expect(offered(first!.body).sort()).toEqual(
      ['listing_info', 'list_properties', 'take_message', 'create_lead', 'transfer_call', 'end_call'].sort(),
    );
    expect(offered(second!.body)).toContain('schedule_viewing');
    expect(second!.rawBody).toContain('$850,000');
    expect(second!.rawBody).toContain('Dana Reyes');
  });
});
