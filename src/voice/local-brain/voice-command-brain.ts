import type {
  Brain,
  BrainCallInfo,
  BrainChunk,
  BrainStepRequest,
  ConversationItem,
} from '../../call-runtime/brain.port.ts';
import { COMMAND_EXAMPLES, parseCommand } from '../commands/grammar.ts';
import { lastStepReplies, localToolCalls, parseToolReply } from './tool-replies.ts';

/**
 * The local, deterministic brain of voice commands (the realtor by phone): no model, no network. Each utterance
 * goes through the command grammar (src/voice/commands) to one tool call of the shared registry, or a clarifying
 * question — never a guessed write. A change is read back first (the runtime then asks for the yes); a result is
 * spoken from the tool's voice summary. "It" / "that one" is the property (and campaign) of the last result.
 */

/** The last property (and campaign) a tool result was about, newest first. */
function lastRefs(history: ConversationItem[]): { propertyId: number | null; campaignId: number | null } {
  let propertyId: number | null = null;
  let campaignId: number | null = null;
  for (let i = history.length - 1; i >= 0 && (propertyId === null || campaignId === null); i--) {
    const reply = parseToolReply(history[i]!);
    if (!reply?.ok) continue;
    if (propertyId === null && typeof reply.property_id === 'number') propertyId = reply.property_id;
    const campaign = reply.data?.campaign_id;
    if (campaignId === null && typeof campaign === 'number') campaignId = campaign;
  }
  return { propertyId, campaignId };
}

const toolCall = localToolCalls('local_cmd');

const HELP = `You can say things like: ${COMMAND_EXAMPLES.slice(0, 4)
  .map((e) => e.says)
  .join('; ')}.`;

export class LocalVoiceCommandBrain implements Brain {
  readonly name = 'local';

  constructor(
    private readonly call: BrainCallInfo,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async *step(req: BrainStepRequest): AsyncGenerator<BrainChunk> {
    const last = req.history.at(-1);
    if (last?.role === 'tool') {
      // The results of this turn's tool calls: say them.
      const said = lastStepReplies(req.history).map((r) =>
        r.ok ? (r.voice_summary ?? 'Done.') : `That didn't work: ${r.error ?? 'an error'}.`,
      );
      yield { type: 'text', text: `${said.join(' ')} Anything else?` };
      return;
    }
    const text = last?.role === 'user' ? last.text : '';
    const refs = lastRefs(req.history);
    const parsed = parseCommand(text, {
      now: this.now(),
      timeZone: this.call.timeZone,
      lastPropertyId: refs.propertyId,
      lastCampaignId: refs.campaignId,
    });
    const tools = new Map(req.tools.map((t) => [t.name, t]));
    switch (parsed.kind) {
      case 'command': {
        const spec = tools.get(parsed.tool);
        if (!spec) {
          yield { type: 'text', text: "I can't do that by phone yet. What else can I do for you?" };
          return;
        }
        // A change is read back (the runtime asks for the yes); a question just runs.
        if (!spec.readOnly) yield { type: 'text', text: parsed.readBack };
        yield { type: 'tool_call', call: toolCall(parsed.tool, parsed.args) };
        return;
      }
      case 'clarify':
        yield { type: 'text', text: parsed.question };
        return;
      case 'goodbye':
        if (tools.has('end_call')) yield { type: 'tool_call', call: toolCall('end_call', {}) };
        return;
      case 'help':
        yield { type: 'text', text: HELP };
        return;
      case 'yes':
      case 'no':
        yield { type: 'text', text: 'What would you like me to do?' };
        return;
      case 'unknown':
        yield { type: 'text', text: `Sorry, I didn't catch that. ${HELP}` };
        return;
    }
  }
}

/** Factory for the runtime: one brain per call. */
export function localVoiceCommandBrain(call: BrainCallInfo): Brain {
  return new LocalVoiceCommandBrain(call);
}
