import { DateTime } from 'luxon';
import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { NotificationsService } from '../notifications/notifications.service.ts';
import { ownPropertyRef } from '../properties/ownership.ts';
import type { AgentScope } from '../shared/scope.ts';
import {
  RECURRENCES,
  ScheduledTask,
  TASK_TYPES,
  type IScheduledTask,
  type Recurrence,
  type TaskAction,
  type TaskStatus,
  type TaskType,
} from './task.entity.ts';

export const TaskCreateSchema = z
  .strictObject({
    task_type: z.enum(TASK_TYPES).default('reminder'),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5_000).nullable().optional(),
    scheduled_at: z.iso.datetime({ offset: true }),
    recurrence: z.enum(RECURRENCES).nullable().optional(),
    property_id: z.number().int().positive().nullable().optional(),
    contact_id: z.number().int().positive().nullable().optional(),
  })
  .refine((t) => (t.task_type === 'recurring') === !!t.recurrence, {
    message: 'recurring tasks need a recurrence (daily, weekly or monthly), and only they may have one',
    path: ['recurrence'],
  });
export type TaskCreateInput = z.input<typeof TaskCreateSchema>;

export const TaskUpdateSchema = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5_000).nullable(),
    scheduled_at: z.iso.datetime({ offset: true }),
    enabled: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: 'at least one field to change is required' });

export const TaskListQuerySchema = z.strictObject({
  status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']).optional(),
  property_id: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface TaskView {
  id: number;
  task_type: TaskType;
  status: TaskStatus;
  enabled: boolean;
  title: string;
  description: string | null;
  scheduled_at: string;
  recurrence: Recurrence | null;
  series_id: number | null;
  property_id: number | null;
  contact_id: number | null;
  action: TaskAction;
  created_by: string;
  last_run_at: string | null;
  completed_at: string | null;
}

export function toTaskView(t: IScheduledTask): TaskView {
  return {
    id: t.id,
    task_type: t.taskType,
    status: t.status,
    enabled: t.enabled,
    title: t.title,
    description: t.description ?? null,
    scheduled_at: t.scheduledAt.toISOString(),
    recurrence: t.recurrence ?? null,
    series_id: t.seriesId ?? null,
    property_id: t.propertyId ?? null,
    contact_id: t.contactId ?? null,
    action: t.action,
    created_by: t.createdBy,
    last_run_at: t.lastRunAt?.toISOString() ?? null,
    completed_at: t.completedAt?.toISOString() ?? null,
  };
}

/** Next occurrence in the agent's time zone: "every Monday 9:00" stays 9:00 across DST. */
export function nextOccurrence(at: Date, recurrence: Recurrence, timeZone: string): Date {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  const next =
    recurrence === 'daily'
      ? local.plus({ days: 1 })
      : recurrence === 'weekly'
        ? local.plus({ weeks: 1 })
        : local.plus({ months: 1 });
  return next.toJSDate();
}

/**
 * What a due task's action does besides its own notification. Returns the notification to raise
 * instead of the default one, or null for none.
 */
export type TaskActionHandler = (
  scope: AgentScope,
  task: IScheduledTask,
) => Promise<{
  title: string;
  message: string;
  priority: 'low' | 'medium' | 'high' | 'urgent';
  type: 'compliance_issue' | 'contract_deadline';
} | null>;

export interface DueRunResult {
  processed: number;
  notified: number;
  scheduled_next: number;
}

/** Reminders, recurring and follow-up tasks, contract checks, and follow-up snooze markers. */
export class TasksService {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly actions: Partial<Record<TaskAction, TaskActionHandler>> = {},
  ) {}

  async create(
    scope: AgentScope,
    raw: TaskCreateInput,
    extra: { action?: TaskAction; createdBy?: string } = {},
  ): Promise<TaskView> {
    const input = TaskCreateSchema.parse(raw);
    if (input.property_id) await ownPropertyRef(scope, input.property_id);
    const task = scope.em.create(ScheduledTask, {
      agent: scope.em.getReference(Agent, scope.agentId),
      taskType: input.task_type,
      title: input.title,
      description: input.description ?? null,
      scheduledAt: new Date(input.scheduled_at),
      recurrence: input.recurrence ?? null,
      propertyId: input.property_id ?? null,
      contactId: input.contact_id ?? null,
      action: extra.action ?? (input.task_type === 'contract_check' ? 'contract_check' : 'notify'),
      createdBy: extra.createdBy ?? 'manual',
    });
    await scope.em.flush();
    if (task.recurrence) {
      task.seriesId = task.id;
      await scope.em.flush();
    }
    return toTaskView(task);
  }

  async list(scope: AgentScope, q: z.output<typeof TaskListQuerySchema>): Promise<TaskView[]> {
    const where: Record<string, unknown> = { agent: scope.agentId };
    if (q.status) where.status = q.status;
    if (q.property_id) where.propertyId = q.property_id;
    const rows = await scope.em.find(ScheduledTask, where, {
      orderBy: { scheduledAt: 'asc', id: 'asc' },
      limit: q.limit,
    });
    return rows.map(toTaskView);
  }

  async get(scope: AgentScope, id: number): Promise<IScheduledTask> {
    const task = await scope.em.findOne(ScheduledTask, { id, agent: scope.agentId });
    if (!task) throw new NotFoundError('Task', id);
    return task;
  }

  async update(scope: AgentScope, id: number, raw: z.input<typeof TaskUpdateSchema>): Promise<TaskView> {
    const input = TaskUpdateSchema.parse(raw);
    const task = await this.get(scope, id);
    if (task.status !== 'pending')
      throw new ConflictError(`Task ${id} is ${task.status}; only pending tasks can change`);
    if (input.title !== undefined) task.title = input.title;
    if (input.description !== undefined) task.description = input.description;
    if (input.scheduled_at !== undefined) task.scheduledAt = new Date(input.scheduled_at);
    if (input.enabled !== undefined) task.enabled = input.enabled;
    await scope.em.flush();
    return toTaskView(task);
  }

  async setStatus(
    scope: AgentScope,
    id: number,
    status: 'completed' | 'cancelled',
    now = new Date(),
  ): Promise<TaskView> {
    const task = await this.get(scope, id);
    if (task.status !== 'pending' && task.status !== 'failed') {
      throw new ConflictError(`Task ${id} is already ${task.status}`);
    }
    task.status = status;
    if (status === 'completed') task.completedAt = now;
    await scope.em.flush();
    return toTaskView(task);
  }

  /** Cancels pending snooze markers of a property (a new snooze or a completed follow-up replaces them). */
  async cancelSnoozes(scope: AgentScope, propertyId: number): Promise<number> {
    return scope.em.nativeUpdate(
      ScheduledTask,
      { agent: scope.agentId, propertyId, action: 'snooze_follow_up', status: 'pending' },
      { status: 'cancelled' },
    );
  }

  /**
   * Runs the agent's due tasks: a notification per task (deduplicated by task id), the next
   * occurrence of recurring ones. Each task is claimed with a conditional update, so two
   * instances never run the same task.
   */
  async runDue(scope: AgentScope, timeZone: string, now = new Date(), limit = 100): Promise<DueRunResult> {
    const due = await scope.em.find(
      ScheduledTask,
      { agent: scope.agentId, status: 'pending', enabled: true, scheduledAt: { $lte: now } },
      { orderBy: { scheduledAt: 'asc' }, limit },
    );
    const result: DueRunResult = { processed: 0, notified: 0, scheduled_next: 0 };
    for (const task of due) {
      const claimed = await scope.em.nativeUpdate(
        ScheduledTask,
        { id: task.id, status: 'pending' },
        { status: 'running', lastRunAt: now },
      );
      if (claimed === 0) continue;
      result.processed++;
      const action: TaskAction = task.action;
      const handler = this.actions[action];
      if (handler) {
        const note = await handler(scope, task);
        if (note) {
          const made = await this.notifications.create(
            scope,
            { ...note, propertyId: task.propertyId ?? null, data: { task_id: task.id }, dedupeKey: `task:${task.id}` },
            now,
          );
          if (made) result.notified++;
        }
      } else if (task.action !== 'snooze_follow_up') {
        const made = await this.notifications.create(
          scope,
          {
            type:
              task.taskType === 'follow_up'
                ? 'follow_up_due'
                : task.action === 'contract_check'
                  ? 'contract_deadline'
                  : 'task_due',
            priority: task.taskType === 'follow_up' ? 'high' : 'medium',
            title: task.title,
            message: task.description ? `${task.title}: ${task.description}` : task.title,
            propertyId: task.propertyId ?? null,
            contactId: task.contactId ?? null,
            data: { task_id: task.id, scheduled_at: task.scheduledAt.toISOString() },
            icon: 'clock',
            dedupeKey: `task:${task.id}`,
          },
          now,
        );
        if (made) result.notified++;
      }
      if (task.recurrence) {
        const next = nextOccurrence(task.scheduledAt, task.recurrence, timeZone);
        const exists = await scope.em.count(ScheduledTask, { seriesId: task.seriesId ?? task.id, scheduledAt: next });
        if (!exists) {
          scope.em.create(ScheduledTask, {
            agent: scope.em.getReference(Agent, scope.agentId),
            taskType: task.taskType,
            title: task.title,
            description: task.description ?? null,
            scheduledAt: next,
            recurrence: task.recurrence,
            seriesId: task.seriesId ?? task.id,
            propertyId: task.propertyId ?? null,
            contactId: task.contactId ?? null,
            action: task.action,
            actionParams: task.actionParams ?? null,
            createdBy: 'recurrence',
          });
          result.scheduled_next++;
        }
      }
      await scope.em.flush();
      await scope.em.nativeUpdate(ScheduledTask, { id: task.id }, { status: 'completed', completedAt: now });
    }
    return result;
  }
}
