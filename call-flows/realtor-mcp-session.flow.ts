/**
 * Call flow: a realtor runs the business through the tool registry over MCP, the way the phone
 * agent will ("create a property at 123 Main St for 850 thousand", "how is it doing?", "note …",
 * "what have we done on it?"). Self-checking: exits non-zero on the first mismatch.
 * Run: npm run call-flows  (with the receptionist flows; in-memory database, no vendor keys).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ownContext } from './harness.ts';
import { buildMcpServer } from '../src/mcp/server.ts';

interface Turn {
  said: string;
  tool: string;
  args: Record<string, unknown>;
  expect: RegExp;
}

const TURNS: Turn[] = [
  {
    said: 'Create a property at one twenty three Main Street, Austin Texas, for 850 thousand',
    tool: 'create_property',
    args: { address: 'one twenty three main street', city: 'Austin', state: 'TX', price: '850 thousand', bedrooms: 3 },
    expect: /^Created property #\d+ at 123 Main St, Austin for \$850,000\.$/,
  },
  {
    said: 'How is this property doing?',
    tool: 'property_heartbeat',
    args: { property: 'this property' },
    expect:
      /^Property #\d+ at 123 Main St is New Property and healthy\. Next step: enrich the property with market data\.$/,
  },
  {
    said: 'Note that the seller wants to close before June',
    tool: 'add_note',
    args: { property: 'it', content: 'Seller wants to close before June.' },
    expect: /^Added a note to property #\d+ at 123 Main St\.$/,
  },
  {
    said: 'Add Jane Buyer as the buyer, her number is 512 555 0142',
    tool: 'add_contact',
    args: { name: 'Jane Buyer', role: 'buyer', phone: '512 555 0142' },
    expect: /^Added Jane Buyer as the buyer on property #\d+ at 123 Main St\.$/,
  },
  {
    said: 'Drop the price on one twenty three main to 799 thousand',
    tool: 'update_property',
    args: { property: 'one twenty three main', price: '799 thousand' },
    expect: /^Updated property #\d+: price to \$799,000\.$/,
  },
  {
    said: 'Show me everything under 900k in Austin',
    tool: 'list_properties',
    args: { city: 'austin', max_price: '900k' },
    expect: /^You have 1 property matching: #\d+ 123 Main St at \$799,000\.$/,
  },
  {
    said: 'What have we done on it?',
    tool: 'property_history',
    args: {},
    expect: /^Property #\d+ has 6 recent actions\. The latest was list properties: You have 1 property/,
  },
];

export async function runFlow(log: (line: string) => void = console.log): Promise<void> {
  const ctx = await ownContext();
  const client = new Client({ name: 'call-flow', version: '1.0.0' });
  try {
    const { agent } = await ctx.services.agents.create(ctx.orm.em.fork(), {
      name: 'Flow Realtor',
      email: `flow-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`,
    });
    const server = buildMcpServer(ctx, { agentId: agent.id, sessionId: `call-flow-${agent.id}` });
    const [c, s] = InMemoryTransport.createLinkedPair();
    await server.connect(s);
    await client.connect(c);
    for (const turn of TURNS) {
      const res = (await client.callTool({ name: turn.tool, arguments: turn.args })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      const said = res.content[0]?.text ?? '';
      log(`realtor: ${turn.said}\nagent:   ${said}`);
      if (res.isError || !turn.expect.test(said)) {
        throw new Error(`Turn "${turn.said}" (${turn.tool}) answered "${said}", expected ${turn.expect}`);
      }
    }
  } finally {
    await client.close();
    await ctx.close();
  }
}
