import { extractYesNo } from '../nlu/slots.ts';
import { CAMPAIGN_RULES } from './rules-campaigns.ts';
import { CONTRACT_RULES } from './rules-contracts.ts';
import { CRM_RULES } from './rules-crm.ts';
import { DAILY_RULES } from './rules-daily.ts';
import { DEAL_RULES } from './rules-deals.ts';
import { createTask } from './reminders.ts';
import { createProperty, PROPERTY_RULES } from './rules-properties.ts';
import { plainWords, prepare } from './text.ts';
import { clarify, type CommandContext, type CommandParse, type Rule } from './types.ts';

export type { CommandContext, CommandParse } from './types.ts';
export { COMMAND_EXAMPLES } from './examples.ts';

/**
 * The deterministic phone grammar: one utterance of the agent (speech-to-text, any case, numbers as
 * words or digits) → a call of a registry tool with arguments that validate against its input schema,
 * or a short question when something is missing or was heard two ways. It never guesses a value:
 * "it" is the property of the conversation, a missing property falls back to it, and nothing else is
 * filled in. Pure: no I/O; the clock and time zone come from `ctx`.
 */

const UNSUPPORTED: [RegExp, string][] = [
  [/\benrich\w*\b|\bzillow\b/, 'enrich properties'],
  [/\bskip ?trac\w*\b/, 'run skip traces'],
  [
    /\b(?:do|run|start) (?:some |an? )?(?:extensive |deep |full |more )?research\b|\bresearch (?:dossier|report)\b|\bdossier\b/,
    'run property research',
  ],
  [
    /\bsend (?:a |an |the |them |him |her )?(?:letter|postcard|mail(?:er)?|report|email|e-mail|text)s?\b|\bemail\b|\bmail (?:a|the|them)\b/,
    'send mail, email or reports',
  ],
];

const unsupported: Rule = {
  tool: '(none)',
  when: new RegExp(UNSUPPORTED.map(([re]) => re.source).join('|')),
  build(u) {
    const what = UNSUPPORTED.find(([re]) => re.test(u.text))![1];
    return clarify(`I can't ${what} by phone yet. What else can I do for you?`);
  },
};

/** Rules in order: the first that fires wins, so the more specific families come first. */
export const RULES: readonly Rule[] = [
  ...CAMPAIGN_RULES,
  unsupported,
  createTask, // before any rule that could read the reminder's title
  ...CRM_RULES, // "add a note …" before "add a … property"
  createProperty, // before "add a … contract"
  ...DAILY_RULES,
  ...DEAL_RULES,
  ...CONTRACT_RULES,
  ...PROPERTY_RULES,
];

const HELP =
  /^(?:help|help me|what can (?:i|you) (?:do|say|ask)(?: here| for me)?|what are (?:my|the) options|what commands|what can i say|how does this work|options|menu|commands)$/;
const GOODBYE =
  /\b(?:bye|goodbye|good bye|hang up|talk (?:to you )?later|that's all|that is all|that's it|that'll be all|nothing else|i'm done|i am done|we're done|i'm all set|end (?:the )?call)\b/;
const YES = /^(?:go ahead|do it|confirm(?:ed)?|send it|go for it|make it so|yes do it|please do|yes please)$/;
const NO = /^(?:cancel(?: that| it)?|don't|do not|stop|wait|hold on|scratch that|forget it|never mind|nevermind)$/;
const VERB =
  /^(create|add|make|change|set|update|send|attach|accept|counter|reject|schedule|book|start|pause|snooze|remind|move|mark|cancel|record|log|list|show|find)\b/;

function smallTalk(said: string, words: string): CommandParse | null {
  if (HELP.test(words)) return { kind: 'help' };
  if (GOODBYE.test(words)) return { kind: 'goodbye' };
  if (YES.test(words)) return { kind: 'yes' };
  if (NO.test(words)) return { kind: 'no' };
  const yn = said.split(' ').length <= 6 ? extractYesNo(said) : null;
  if (yn !== null) return { kind: yn ? 'yes' : 'no' };
  return null;
}

export function parseCommand(text: string, ctx: CommandContext): CommandParse {
  const said = plainWords(typeof text === 'string' ? text : '');
  if (!said) return { kind: 'unknown' };
  const u = prepare(text);
  for (const rule of RULES) {
    if (!rule.when.test(u.text)) continue;
    const parsed = rule.build(u, ctx);
    if (parsed) return parsed;
  }
  const talk = smallTalk(said, u.words);
  if (talk) return talk;
  const verb = VERB.exec(u.words)?.[1];
  if (verb) return clarify(`What would you like me to ${verb}?`);
  return { kind: 'unknown' };
}
