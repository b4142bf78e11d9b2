import { parseViewingTime } from '../nlu/datetime.ts';
import type { ViewingTime } from '../nlu/types.ts';
import { smallNumber } from '../nlu/text.ts';
import { findProperty, target, type Target } from './property.ts';
import { asHeard, capitalize, plural, spokenWhen } from './text.ts';
import { clarify, command, isClarify, type Clarify, type CommandContext, type Rule } from './types.ts';
import type { Utterance } from './text.ts';

const NUM = '(?:\\d{1,2}(?::\\d{2})?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)';
const MIN = '(?: (?:oh )?(?:\\d{2}|fifteen|thirty|forty(?: five)?|fifty|twenty|ten|five))?';
const MER = "(?: ?(?:am|pm|a m|p m|o'?clock))?(?: in the (?:morning|afternoon|evening))?";
const DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thu|fri|sat|sun)';
const MONTH =
  '(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)';
const COUNT =
  '(?:\\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty five|a couple of|a few|half an?)';

/** Time phrases to leave out of a reminder's title ("tomorrow at 9", "every monday", "in 2 hours"). */
const TIME_PHRASES: RegExp[] = [
  /\b(?:the )?day after tomorrow\b/g,
  /\b(?:tomorrow|tmrw|today|tonight)(?: (?:morning|afternoon|evening|night))?\b/g,
  /\bthis (?:morning|afternoon|evening)\b/g,
  /\b(?:every (?:day|week|month|weekday|morning)|daily|weekly|monthly)\b/g,
  new RegExp(`\\b(?:every |on |next |this |coming )?${DAY}s?(?: (?:morning|afternoon|evening))?\\b`, 'g'),
  new RegExp(`\\b(?:on )?${MONTH} (?:the )?(?:\\d{1,2}(?:st|nd|rd|th)?|[a-z]+(?:st|nd|rd|th))\\b`, 'g'),
  /\b(?:on )?the \d{1,2}(?:st|nd|rd|th)\b/g,
  new RegExp(`\\b(?:at|around|about|by) ${NUM}${MIN}${MER}(?=\\s|$)`, 'g'),
  new RegExp(`\\b${NUM}${MIN} ?(?:am|pm|a m|p m)\\b`, 'g'),
  /\b(?:half past|quarter (?:past|after|to)) \w+\b/g,
  /\b(?:at |around )?(?:noon|midnight|midday)\b/g,
  /\b(?:in the )?(?:morning|afternoon|evening)\b/g,
  new RegExp(`\\bin ${COUNT} (?:minutes?|mins?|hours?|hrs?|days?|weeks?)\\b`, 'g'),
];

export function withoutTimes(words: string): string {
  return TIME_PHRASES.reduce((s, re) => s.replace(re, ' '), words)
    .replace(/\s+/g, ' ')
    .trim();
}

const UNIT_MINUTES: Record<string, number> = { minute: 1, min: 1, hour: 60, hr: 60, day: 1440, week: 10080 };

/** "in 20 minutes", "in an hour", "in half an hour", "in 3 days" → minutes from now. */
export function inMinutes(text: string): number | null {
  const m = /\bin (\d+(?:\.\d+)?|an?|a couple of|half an?) (minute|min|hour|hr|day|week)s?\b/.exec(text);
  if (!m) return null;
  const said = m[1]!.startsWith('half') ? 0.5 : smallNumber(m[1]!.replace(/^a (?=couple)/, '').replace(/ of$/, ''));
  return said === null ? null : Math.round(said * UNIT_MINUTES[m[2]!]!);
}

const PART_OF_DAY = /\b(?:morning|afternoon|evening|tonight|night|lunchtime)\b/;

/**
 * A moment said for a reminder or a viewing: an exact time, or a part of the day ("tomorrow morning").
 * A day alone ("tomorrow") is not a time: the question asks for one.
 */
export function momentIn(text: string, ctx: CommandContext, question: string): ViewingTime | Clarify {
  const vt = parseViewingTime(text, ctx.now, ctx.timeZone);
  if (!vt) return clarify(question);
  if (vt.certainty === 'approximate' && !PART_OF_DAY.test(vt.text)) return clarify(`What time ${vt.text}?`);
  if (Date.parse(vt.start) <= ctx.now.getTime()) return clarify(`That time has passed. ${question}`);
  return vt;
}

/** A property named for an optional link (tasks, the pipeline): never the bare "it" or "that". */
export function optionalProperty(text: string, ctx: CommandContext): { target: Target | null; rest: string } | Clarify {
  const { ref, rest } = findProperty(text);
  if (ref.kind === 'none') return { target: null, rest: text };
  if (ref.kind === 'pointer' && !/\b(?:this|that|the) (?:property|listing|house|home|deal)\b/.test(text))
    return { target: null, rest: text };
  const t = target(ref, ctx);
  return isClarify(t) ? t : { target: t, rest };
}

const RECURRENCE: [RegExp, 'daily' | 'weekly' | 'monthly'][] = [
  [/\b(?:every (?:day|morning|weekday)|daily)\b/, 'daily'],
  [new RegExp(`\\b(?:every (?:week|${DAY})|weekly)\\b`), 'weekly'],
  [/\b(?:every month|monthly)\b/, 'monthly'],
];

function titleOf(u: Utterance): string {
  const m =
    /\bremind me\b(.*)$/.exec(u.words) ??
    /\b(?:set|create|add|make|schedule|put in) (?:a |an |me a )?(?:reminder|task|to ?do|follow ?up task)(?: for me)?\b(.*)$/.exec(
      u.words,
    );
  let title = withoutTimes(m?.[1] ?? '');
  for (let prev = ''; prev !== title;) {
    prev = title;
    title = title
      .replace(/^(?:to|that i (?:need|have) to|that|about|for|of|me|and)\s+/, '')
      .replace(/\s+(?:and|to|at|on|for|by|is|are)$/, '');
  }
  return capitalize(asHeard(u.raw, title).slice(0, 200));
}

export const createTask: Rule = {
  tool: 'create_task',
  when: /^remind me\b|\bremind me (?:to|about|that|tomorrow|today|on|at|in|next|this|every)\b|\b(?:set|create|add|make|schedule|put in) (?:a |an |me a )?(?:reminder|task|to ?do|follow ?up task)\b/,
  build(u, ctx) {
    const title = titleOf(u);
    if (!title) return clarify('What should I remind you about?');
    const linked = optionalProperty(u.text, ctx);
    if (isClarify(linked)) return linked;
    const args: Record<string, unknown> = { title };
    const recurrence = RECURRENCE.find(([re]) => re.test(u.text))?.[1];
    if (recurrence) [args.task_type, args.recurrence] = ['recurring', recurrence];
    let when: string;
    const minutes = inMinutes(u.text);
    if (minutes !== null && minutes >= 1 && minutes <= 60 * 24 * 366) {
      args.in_minutes = minutes;
      when = `in ${minutes % 60 === 0 ? plural(minutes / 60, 'hour') : plural(minutes, 'minute')} from now`;
    } else {
      const vt = momentIn(linked.rest, ctx, 'When should I remind you?');
      if (isClarify(vt)) return vt;
      args.due_at = vt.start;
      when = spokenWhen(vt.start, ctx.now, ctx.timeZone);
    }
    if (linked.target) Object.assign(args, linked.target.args);
    const on = linked.target ? ` on ${linked.target.label}` : '';
    const repeat = recurrence ? `, repeating ${recurrence}` : '';
    return command('create_task', args, `Set a reminder "${title}"${on} ${when}${repeat}?`, linked.target?.id);
  },
};
