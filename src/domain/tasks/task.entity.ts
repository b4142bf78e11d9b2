import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';

export const TASK_TYPES = ['reminder', 'recurring', 'follow_up', 'contract_check'] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const RECURRENCES = ['daily', 'weekly', 'monthly'] as const;
export type Recurrence = (typeof RECURRENCES)[number];

/** What a due task does besides notifying. `snooze_follow_up` marks a snoozed follow-up. */
export const TASK_ACTIONS = ['notify', 'snooze_follow_up', 'contract_check', 'compliance_check'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export const ScheduledTask = defineEntity({
  name: 'ScheduledTask',
  tableName: 'scheduled_tasks',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    taskType: p.enum(TASK_TYPES),
    status: p.enum(TASK_STATUSES).default('pending'),
    enabled: p.boolean().default(true),
    title: p.string().length(200),
    description: p.text().nullable(),
    scheduledAt: p.datetime(),
    recurrence: p.enum(RECURRENCES).nullable(),
    /** First task of a recurring series (itself for the first occurrence). */
    seriesId: p.integer().nullable(),
    propertyId: p.integer().nullable(),
    contactId: p.integer().nullable(),
    action: p.enum(TASK_ACTIONS).default('notify'),
    actionParams: p.json<Record<string, unknown>>().nullable(),
    createdBy: p.string().length(40).default('manual'),
    lastRunAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    lastError: p.string().length(500).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  uniques: [{ name: 'scheduled_tasks_series_time_unique', properties: ['seriesId', 'scheduledAt'] }],
  indexes: [
    { name: 'scheduled_tasks_due_idx', properties: ['status', 'scheduledAt'] },
    { name: 'scheduled_tasks_agent_idx', properties: ['agent', 'status', 'scheduledAt'] },
  ],
});
export type IScheduledTask = InferEntity<typeof ScheduledTask>;
