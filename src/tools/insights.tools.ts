import { z } from 'zod';
import { propertyRefShape, resolveProperty } from './property-ref.ts';
import { defineTool, ToolError } from './registry.ts';

export const followUpQueue = defineTool({
  name: 'follow_up_queue',
  title: 'Follow-up queue',
  description:
    'Who needs a follow-up now: properties ranked by days inactive, grade, deadlines and open work, with the suggested action.',
  readOnly: true,
  input: z.strictObject({
    limit: z.number().int().min(1).max(25).default(5),
    priority: z.enum(['urgent', 'high', 'medium', 'low']).optional(),
  }),
  async run(ctx, input) {
    const queue = await ctx.services.insights.followUpQueue(ctx.scope, input);
    return {
      data: queue,
      voice_summary: queue.voice_summary,
      property_id: queue.items.length === 1 ? queue.items[0]!.property_id : null,
    };
  },
});

export const snoozeFollowUp = defineTool({
  name: 'snooze_follow_up',
  title: 'Snooze a follow-up',
  description: 'Hide a property from the follow-up queue for a while (default 72 hours).',
  input: z.strictObject({ ...propertyRefShape, hours: z.number().int().min(1).max(2160).default(72) }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const task = await ctx.services.insights.snoozeFollowUp(ctx.scope, property.id, input.hours);
    return {
      data: task,
      voice_summary: `Snoozed follow-ups on ${property.address} for ${input.hours} hours.`,
      property_id: property.id,
    };
  },
});

export const completeFollowUp = defineTool({
  name: 'complete_follow_up',
  title: 'Complete a follow-up',
  description: 'Mark the follow-up on a property done, optionally with what happened.',
  input: z.strictObject({ ...propertyRefShape, note: z.string().min(1).max(5_000).optional() }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const res = await ctx.services.insights.completeFollowUp(
      ctx.scope,
      property.id,
      input.note ?? null,
      ctx.source === 'call' ? 'voice' : 'manual',
    );
    return { data: res, voice_summary: `Marked the follow-up on ${property.address} done.`, property_id: property.id };
  },
});

export const scoreProperty = defineTool({
  name: 'score_property',
  title: 'Score a property',
  description: 'Deal score 0–100 with grade A–F from market, financial, readiness and engagement signals.',
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const result = await ctx.services.insights.scoreProperty(ctx.scope, property.id);
    return { data: result, voice_summary: result.voice_summary, property_id: property.id };
  },
});

export const predictClosing = defineTool({
  name: 'predict_closing',
  title: 'Predict closing',
  description: 'Closing probability, confidence, expected days to close and what would raise the odds.',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    // Told to the realtor: logged for the learning loop.
    const p = await ctx.services.insights.predictClosing(ctx.scope, property.id, new Date(), { log: true });
    return { data: p, voice_summary: p.voice_summary, property_id: property.id };
  },
});

export const createTask = defineTool({
  name: 'create_task',
  title: 'Schedule a task',
  description:
    'Schedule a reminder or follow-up ("remind me to call the seller tomorrow at 9"), or a recurring task. Give due_at as ISO 8601 with offset, or in_minutes.',
  input: z.strictObject({
    title: z.string().min(1).max(200),
    description: z.string().max(5_000).optional(),
    due_at: z.string().max(40).optional(),
    in_minutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 366)
      .optional(),
    task_type: z.enum(['reminder', 'follow_up', 'recurring', 'contract_check']).default('reminder'),
    recurrence: z.enum(['daily', 'weekly', 'monthly']).optional(),
    ...propertyRefShape,
  }),
  async run(ctx, input) {
    const at =
      input.due_at ?? (input.in_minutes ? new Date(Date.now() + input.in_minutes * 60_000).toISOString() : undefined);
    if (!at) throw new ToolError('When should I schedule it? Give a time.', 'due_time_required');
    const property =
      input.property_id !== undefined || input.property !== undefined ? await resolveProperty(ctx, input) : null;
    const task = await ctx.services.tasks.create(
      ctx.scope,
      {
        task_type: input.task_type,
        title: input.title,
        description: input.description ?? null,
        scheduled_at: at,
        recurrence: input.recurrence ?? null,
        property_id: property?.id ?? null,
      },
      { createdBy: ctx.source },
    );
    const when = new Date(task.scheduled_at).toUTCString();
    return {
      data: task,
      voice_summary: `Scheduled "${task.title}" for ${when}${task.recurrence ? `, repeating ${task.recurrence}` : ''}.`,
      property_id: property?.id ?? null,
    };
  },
});

export const dailyDigest = defineTool({
  name: 'daily_digest',
  title: 'What needs attention today',
  description: 'Today’s briefing: portfolio, urgent alerts, contracts, the last 24 hours and the top follow-ups.',
  readOnly: true,
  input: z.strictObject({}),
  async run(ctx) {
    const agent = await ctx.services.agents.get(ctx.scope.em, ctx.scope.agentId);
    const digest = await ctx.services.digest.build(ctx.scope, agent.timezone);
    return { data: digest, voice_summary: digest.voice_summary };
  },
});

export const nextAction = defineTool({
  name: 'next_action',
  title: 'What to do next',
  description: 'The next thing to do with a property and why ("what should I do next with property 5?").',
  readOnly: true,
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const next = await ctx.services.insights.nextAction(ctx.scope, property.id);
    return { data: next, voice_summary: next.voice_summary, property_id: property.id };
  },
});

export const relationshipHealth = defineTool({
  name: 'relationship_health',
  title: 'Relationship health',
  description:
    'How the relationship with a contact is going: frequency, responsiveness, sentiment, trend, best way to reach them.',
  readOnly: true,
  input: z.strictObject({ contact_id: z.number().int().positive() }),
  async run(ctx, input) {
    const health = await ctx.services.insights.relationship(ctx.scope, input.contact_id);
    return { data: health, voice_summary: health.voice_summary };
  },
});

export const recordOutcome = defineTool({
  name: 'record_outcome',
  title: 'Record a deal outcome',
  description: 'Record how a deal ended (closed won or lost, withdrawn, stalled) to improve predictions.',
  input: z.strictObject({
    ...propertyRefShape,
    status: z.enum(['closed_won', 'closed_lost', 'withdrawn', 'stalled', 'active']),
    final_price: z.number().positive().optional(),
  }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const res = await ctx.services.learning.recordOutcome(ctx.scope, property.id, {
      status: input.status,
      final_price: input.final_price ?? null,
    });
    return {
      data: res,
      voice_summary: `Recorded ${property.address} as ${input.status.replace(/_/g, ' ')}.`,
      property_id: property.id,
    };
  },
});

export const listTasks = defineTool({
  name: 'list_tasks',
  title: 'Scheduled tasks',
  description: 'Pending reminders, follow-ups and recurring tasks, soonest first.',
  readOnly: true,
  input: z.strictObject({ limit: z.number().int().min(1).max(50).default(10) }),
  async run(ctx, input) {
    const tasks = await ctx.services.tasks.list(ctx.scope, { status: 'pending', limit: input.limit });
    const shown = tasks.filter((t) => t.action !== 'snooze_follow_up');
    const voice = shown.length
      ? `You have ${shown.length} pending task${shown.length === 1 ? '' : 's'}. Next: ${shown[0]!.title}.`
      : 'You have no pending tasks.';
    return { data: shown, voice_summary: voice };
  },
});

export const predictionAccuracy = defineTool({
  name: 'prediction_accuracy',
  title: 'Prediction accuracy',
  description: 'How accurate the closing predictions have been (mean absolute error, directional accuracy).',
  readOnly: true,
  input: z.strictObject({}),
  async run(ctx) {
    const acc = await ctx.services.learning.accuracy(ctx.scope);
    return { data: acc, voice_summary: acc.voice_summary };
  },
});

export const insightsTools = [
  listTasks,
  predictionAccuracy,
  nextAction,
  relationshipHealth,
  recordOutcome,
  dailyDigest,
  followUpQueue,
  snoozeFollowUp,
  completeFollowUp,
  scoreProperty,
  predictClosing,
  createTask,
];
