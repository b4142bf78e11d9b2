import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMcpServer } from '../../src/mcp/server.ts';
import type { AppContext } from '../../src/services.ts';
import { listeningApp, newAgent, testContext, type TestAgent } from '../helpers/context.ts';

let ctx: AppContext;
let agent: TestAgent;
let client: Client;

type ToolText = {
  content: { type: string; text: string }[];
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
};

async function call(name: string, args: Record<string, unknown>): Promise<ToolText> {
  return (await client.callTool({ name, arguments: args })) as ToolText;
}

beforeAll(async () => {
  ctx = await testContext();
  agent = await newAgent(ctx);
  const server = buildMcpServer(ctx, { agentId: agent.agentId, sessionId: `test-session-${agent.agentId}` });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
});

afterAll(async () => {
  await client.close();
});

describe('tool registry over MCP', () => {
  it('lists every registered tool with its input schema', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual(
      [
        'add_contact',
        'add_note',
        'analyze_offer',
        'attach_contract',
        'calculate_deal',
        'calculate_mao',
        'campaign_status',
        'check_compliance',
        'check_pipeline',
        'complete_follow_up',
        'contract_readiness',
        'counter_offer_letter',
        'create_task',
        'daily_digest',
        'follow_up_queue',
        'get_comps',
        'create_property',
        'delete_property',
        'get_property',
        'list_contracts',
        'list_notes',
        'list_notifications',
        'list_properties',
        'list_showings',
        'list_tasks',
        'mark_notifications_read',
        'pause_campaign',
        'next_action',
        'predict_closing',
        'prediction_accuracy',
        'property_heartbeat',
        'property_history',
        'record_offer',
        'record_outcome',
        'relationship_health',
        'respond_to_offer',
        'schedule_viewing',
        'score_property',
        'send_contract',
        'set_contract_requirement',
        'snooze_follow_up',
        'start_campaign',
        'suggest_contracts',
        'update_property',
        'value_property',
        'what_if_deal',
        'listing_info',
        'compare_price',
        'take_message',
        'create_lead',
        'take_offer',
      ].sort(),
    );
    const create = tools.find((t) => t.name === 'create_property')!;
    expect(create.inputSchema.properties).toHaveProperty('address');
    expect(create.inputSchema.required).toContain('address');
  });

  it('runs a voice-style conversation: create, refer back with "this property", note, contact, history', async () => {
    const created = await call('create_property', {
      address: 'one twenty three main street',
      city: 'Austin',
      state: 'TX',
      price: '850 thousand',
    });
    expect(created.isError).toBeFalsy();
    expect(created.content[0]!.text).toMatch(/^Created property #\d+ at 123 Main St, Austin for \$850,000\.$/);
    const id = (created.structuredContent!.data as { id: number }).id;

    const hb = await call('property_heartbeat', { property: 'this property' });
    expect(hb.isError).toBeFalsy();
    expect(hb.content[0]!.text).toBe(
      `Property #${id} at 123 Main St is New Property and healthy. Next step: enrich the property with market data.`,
    );

    const note = await call('add_note', { property: 'it', content: 'Seller wants to close before June.' });
    expect(note.content[0]!.text).toBe(`Added a note to property #${id} at 123 Main St.`);

    const contact = await call('add_contact', { name: 'Jane Buyer', role: 'buyer', phone: '(512) 555-0142' });
    expect(contact.isError).toBeFalsy();
    expect(contact.structuredContent!.data).toMatchObject({
      phone: '+15125550142',
      property_id: id,
      first_name: 'Jane',
      last_name: 'Buyer',
    });

    const updated = await call('update_property', {
      property: '123 main street',
      price: '$799,000',
      status: 'enriched',
    });
    expect(updated.content[0]!.text).toBe(`Updated property #${id}: price to $799,000, status to enriched.`);

    const history = await call('property_history', { property_id: id });
    const rows = history.structuredContent!.data as {
      tool_name: string;
      success: boolean;
      source: string;
      property_id: number;
    }[];
    expect(rows.map((r) => r.tool_name)).toEqual([
      'update_property',
      'add_contact',
      'add_note',
      'property_heartbeat',
      'create_property',
    ]);
    expect(rows.every((r) => r.success && r.source === 'mcp' && r.property_id === id)).toBe(true);
  });

  it('returns speakable isError results, and logs failures too', async () => {
    const other = await newAgent(ctx);
    const theirs = await ctx.services.properties.create(other.scope(), {
      address: '5 Secret Ct',
      city: 'Austin',
      state: 'TX',
    });
    const notMine = await call('get_property', { property_id: theirs.id });
    expect(notMine.isError).toBe(true);
    expect(notMine.content[0]!.text).toBe(`Property ${theirs.id} was not found`);

    const noCity = await call('create_property', { address: 'forty one maple drive' });
    expect(noCity.isError).toBe(true);
    expect(noCity.content[0]!.text).toBe('Which city and state is 41 Maple Dr in?');

    const badArgs = await call('list_properties', { limit: 500 });
    expect(badArgs.isError).toBe(true);
    expect(badArgs.content[0]!.text).toMatch(/limit/);

    const rows = await ctx.services.history.forSession(agent.scope(), `test-session-${agent.agentId}`, 5);
    expect(rows.find((r) => r.tool_name === 'create_property' && !r.success)?.output_summary).toMatch(/city and state/);
  });

  it('lists with filters and says how many match', async () => {
    const res = await call('list_properties', { city: 'austin', max_price: '900k' });
    expect(res.content[0]!.text).toMatch(/^You have \d+ propert(y|ies) matching: #\d+ 123 Main St at \$799,000/);
  });
});

describe('MCP over Streamable HTTP', () => {
  let base: string;
  let server: Awaited<ReturnType<typeof listeningApp>>;
  beforeAll(async () => {
    server = await listeningApp();
    base = server.base;
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves the registry to an authenticated client and refuses others', async () => {
    const http = new Client({ name: 'http-test', version: '1.0.0' });
    await http.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: agent.headers } }),
    );
    const { tools } = await http.listTools();
    expect(tools.length).toBe(51);
    const res = (await http.callTool({ name: 'list_properties', arguments: { query: 'Main' } })) as ToolText;
    expect(res.isError).toBeFalsy();
    expect(res.content[0]!.text).toMatch(/123 Main St/);
    await http.close();

    const anon = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(anon.status).toBe(401);
  });
});
