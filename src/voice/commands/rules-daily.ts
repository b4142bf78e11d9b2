import { parseViewingTime } from '../nlu/datetime.ts';
import { extractPhone } from '../nlu/slots.ts';
import { findProperty, target } from './property.ts';
import { momentIn, optionalProperty } from './reminders.ts';
import { duration } from './slots.ts';
import { capitalize, orList, spokenHours, spokenWhen, titleCase, toNumber } from './text.ts';
import { clarify, command, isClarify, type Rule } from './types.ts';

const MAX_SNOOZE_HOURS = 2160;

const snooze: Rule = {
  tool: 'snooze_follow_up',
  when: /\bsnooze\b|\bhold off (?:on|with)\b/,
  build(u, ctx) {
    const { ref, rest } = findProperty(u.text);
    const said = duration(rest);
    if (said.conflict) return clarify(`For how long: ${orList(said.conflict.map(spokenHours))}?`);
    let hours = said.value;
    let until: string | undefined;
    const untilSaid = /\b(?:until|till|til) (.+)$/.exec(rest);
    if (hours === undefined && untilSaid) {
      const vt = parseViewingTime(untilSaid[1]!, ctx.now, ctx.timeZone);
      if (!vt) return clarify('Until when should I snooze it?');
      hours = Math.ceil((Date.parse(vt.start) - ctx.now.getTime()) / 3_600_000);
      until = `until ${spokenWhen(vt.start, ctx.now, ctx.timeZone, false)}`;
    }
    if (hours === undefined && /\d|\b(?:hours?|days?|weeks?|months?)\b/.test(said.rest))
      return clarify('For how long should I snooze it?');
    if (hours !== undefined && (hours < 1 || hours > MAX_SNOOZE_HOURS))
      return clarify('For how long? I can snooze a follow-up for up to 90 days.');
    const t = target(ref, ctx);
    if (t === null || isClarify(t)) return t;
    const args = hours === undefined ? t.args : { ...t.args, hours };
    const howLong = until ?? `for ${spokenHours(hours ?? 72)}`;
    return command('snooze_follow_up', args, `Snooze follow-ups on ${t.label} ${howLong}?`, t.id);
  },
};

const completeFollowUp: Rule = {
  tool: 'complete_follow_up',
  when: /\b(?:mark|set|log)\b.{0,40}\bfollow ?ups?\b.{0,30}\b(?:done|complete|completed|finished)\b|\b(?:done|finished|completed) (?:with )?(?:the )?follow ?up\b|\bfollow ?up (?:on|for|with) .{1,40} (?:is )?(?:done|complete|completed)\b|\bcomplete (?:the )?follow ?up\b/,
  build(u, ctx) {
    const note = /(?:(?<!\d):|:(?!\d))\s*(.+)$|\b(?:note|saying)\s+(.+)$/is.exec(u.raw);
    const head = note ? u.text.split(/\b(?:note|saying)\b/)[0]! : u.text;
    const { ref } = findProperty(head);
    const t = target(ref, ctx);
    if (t === null || isClarify(t)) return t;
    const said = (note?.[1] ?? note?.[2])?.trim();
    const args = said ? { ...t.args, note: capitalize(said) } : t.args;
    return command('complete_follow_up', args, `Mark the follow-up on ${t.label} done?`, t.id);
  },
};

const followUpQueue: Rule = {
  tool: 'follow_up_queue',
  when: /\bfollow ?ups?\b|\bwho (?:should|do|must) (?:i|we)(?: need to| have to)? (?:call|follow up with|contact|reach out to)\b|\bwho needs (?:a )?(?:call|follow ?up)\b/,
  build(u) {
    const args: Record<string, unknown> = {};
    const limit = toNumber(/\b(?:top|first|next) (\d{1,2})\b/.exec(u.text)?.[1]);
    if (limit !== null && limit >= 1 && limit <= 25) args.limit = limit;
    const priority = /\b(urgent|high|medium|low)(?: priority)?\b/.exec(u.text)?.[1];
    if (priority) args.priority = priority;
    return command('follow_up_queue', args, `Reading your ${priority ? `${priority}-priority ` : ''}follow-up queue.`);
  },
};

const VISITOR = /\b(?:for|with) ([a-z]+(?: [a-z]+)?)(?= (?:at|on|tomorrow|today|next|this|in|around)\b|$)/;
const NOT_VISITOR =
  /\b(?:the|a|an|it|this|that|property|listing|tomorrow|today|tonight|next|this|morning|afternoon|evening|noon|monday|tuesday|wednesday|thursday|friday|saturday|sunday|me|us|them|him|her)\b/;

const scheduleViewing: Rule = {
  tool: 'schedule_viewing',
  when: /\b(?:schedule|book|set up|arrange|add|put in|line up)\b.{0,20}\b(?:viewing|showing|tour|walk ?through)\b/,
  build(u, ctx) {
    const { ref, rest } = findProperty(u.text);
    const t = target(ref, ctx);
    if (t === null || isClarify(t)) return t;
    const vt = momentIn(rest, ctx, 'What day and time is the viewing?');
    if (isClarify(vt)) return vt;
    const args: Record<string, unknown> = { ...t.args, starts_at: vt.start };
    const visitor = VISITOR.exec(u.words)?.[1];
    if (visitor && !NOT_VISITOR.test(visitor)) args.visitor_name = titleCase(visitor);
    const phone = extractPhone(u.raw);
    if (phone) args.visitor_phone = phone;
    const who = args.visitor_name ? ` for ${String(args.visitor_name)}` : '';
    return command(
      'schedule_viewing',
      args,
      `Book a viewing of ${t.label} ${spokenWhen(vt.start, ctx.now, ctx.timeZone)}${who}?`,
      t.id,
    );
  },
};

const checkPipeline: Rule = {
  tool: 'check_pipeline',
  when: /\b(?:check|run|advance|update|refresh|process)\b.{0,15}\bpipeline\b|\bmove (?:everything|properties|them|my properties) (?:forward|along)\b/,
  build(u, ctx) {
    const linked = optionalProperty(u.text, ctx);
    if (isClarify(linked)) return linked;
    if (!linked.target)
      return command(
        'check_pipeline',
        {},
        'Check the pipeline and move every property that is ready to its next stage?',
      );
    return command(
      'check_pipeline',
      linked.target.args,
      `Check whether ${linked.target.label} can move to its next stage?`,
      linked.target.id,
    );
  },
};

const markNotificationsRead: Rule = {
  tool: 'mark_notifications_read',
  when: /\b(?:mark|clear|dismiss)\b.{0,30}\bnotifications?\b|\bnotifications? (?:as )?read\b/,
  build(u) {
    const ids = [...u.text.matchAll(/\bnotifications? (?:number |#)?(\d{1,6})\b/g)].map((m) => Number(m[1]));
    if (ids.length === 0) return command('mark_notifications_read', { all: true }, 'Mark all notifications as read?');
    return command('mark_notifications_read', { ids }, `Mark notification ${orList(ids.map(String))} as read?`);
  },
};

const statement = (tool: string, when: RegExp, readBack: string): Rule => ({
  tool,
  when,
  build: () => command(tool, {}, readBack),
});

export const DAILY_RULES: readonly Rule[] = [
  snooze,
  completeFollowUp,
  markNotificationsRead,
  scheduleViewing,
  statement(
    'daily_digest',
    /\bdigest\b|\bbriefing\b|\bbrief me\b|\bneeds? (?:my )?attention\b|\bportfolio\b|\bhow(?:'s| is| are) (?:my|the|our) (?:business|pipeline|deals)\b|\bwhat(?:'s| is) (?:on )?(?:my|the) (?:agenda|plate|schedule) (?:for )?today\b|\bwhat(?:'s| is) (?:urgent|important|going on) today\b|\bwhat should i (?:do|focus on|work on) today\b|\b(?:morning|daily) (?:report|summary|update)\b|\bcatch me up\b/,
    "Here is today's briefing.",
  ),
  followUpQueue,
  statement(
    'list_tasks',
    /\b(?:what are|what's|what is|read|list|show|tell me|give me|any)\b.{0,20}\b(?:tasks|reminders|to ?dos|to ?do list)\b|\bdo i have (?:any )?(?:tasks|reminders)\b|\bon my (?:to ?do )?list\b/,
    'Reading your pending tasks.',
  ),
  statement(
    'list_showings',
    /\b(?:what|which|any|list|show|read|tell me|when(?:'s| is))\b.{0,30}\b(?:viewings|showings|tours|appointments)\b|\bnext (?:viewing|showing|appointment)\b/,
    'Reading your upcoming viewings.',
  ),
  statement(
    'list_notifications',
    /\bnotifications?\b|\balerts?\b|\bwhat(?:'s| is) new\b|\banything new\b/,
    'Reading your notifications.',
  ),
  checkPipeline,
];
