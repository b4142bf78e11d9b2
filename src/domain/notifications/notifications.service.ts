import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { z } from 'zod';
import { Agent } from '../agents/agent.entity.ts';
import { NotFoundError } from '../errors.ts';
import type { AgentScope } from '../shared/scope.ts';
import {
  NOTIFICATION_PRIORITIES,
  NOTIFICATION_TYPES,
  Notification,
  type INotification,
  type NotificationPriority,
  type NotificationType,
} from './notification.entity.ts';

export interface NotificationInput {
  type: NotificationType;
  priority?: NotificationPriority;
  title: string;
  message: string;
  propertyId?: number | null;
  contactId?: number | null;
  contractId?: number | null;
  data?: Record<string, unknown> | null;
  icon?: string | null;
  actionUrl?: string | null;
  autoDismissSeconds?: number | null;
  /** When set, a second notification with the same key for the agent is not created. */
  dedupeKey?: string | null;
}

export interface NotificationView {
  id: number;
  type: NotificationType;
  priority: NotificationPriority;
  title: string;
  message: string;
  property_id: number | null;
  contact_id: number | null;
  contract_id: number | null;
  data: Record<string, unknown> | null;
  icon: string | null;
  action_url: string | null;
  is_read: boolean;
  read_at: string | null;
  is_dismissed: boolean;
  dismissed_at: string | null;
  auto_dismiss_seconds: number | null;
  created_at: string;
}

export function toNotificationView(n: INotification): NotificationView {
  return {
    id: n.id,
    type: n.type,
    priority: n.priority,
    title: n.title,
    message: n.message,
    property_id: n.propertyId ?? null,
    contact_id: n.contactId ?? null,
    contract_id: n.contractId ?? null,
    data: n.data ?? null,
    icon: n.icon ?? null,
    action_url: n.actionUrl ?? null,
    is_read: n.isRead,
    read_at: n.readAt?.toISOString() ?? null,
    is_dismissed: n.isDismissed,
    dismissed_at: n.dismissedAt?.toISOString() ?? null,
    auto_dismiss_seconds: n.autoDismissSeconds ?? null,
    created_at: n.createdAt.toISOString(),
  };
}

/** Where new notifications go live (SSE clients); the service works without one. */
export interface NotificationSink {
  publish(agentId: number, notification: NotificationView): void;
}

export const NotificationListQuerySchema = z.strictObject({
  unread_only: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
  include_dismissed: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
  type: z.enum(NOTIFICATION_TYPES).optional(),
  priority: z.enum(NOTIFICATION_PRIORITIES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type NotificationListQuery = z.output<typeof NotificationListQuerySchema>;

export class NotificationsService {
  constructor(private readonly sink?: NotificationSink) {}

  /** Creates a notification (or returns null when its dedupe key was already used). */
  async create(scope: AgentScope, input: NotificationInput, now = new Date()): Promise<NotificationView | null> {
    const { em, agentId } = scope;
    if (input.dedupeKey && (await em.count(Notification, { agent: agentId, dedupeKey: input.dedupeKey }))) return null;
    const n = em.create(Notification, {
      agent: em.getReference(Agent, agentId),
      type: input.type,
      priority: input.priority ?? 'medium',
      title: input.title.slice(0, 200),
      message: input.message,
      propertyId: input.propertyId ?? null,
      contactId: input.contactId ?? null,
      contractId: input.contractId ?? null,
      data: input.data ?? null,
      icon: input.icon ?? null,
      actionUrl: input.actionUrl ?? null,
      autoDismissSeconds: input.autoDismissSeconds ?? null,
      autoDismissAt: input.autoDismissSeconds ? new Date(now.getTime() + input.autoDismissSeconds * 1000) : null,
      dedupeKey: input.dedupeKey ?? null,
      createdAt: now,
    });
    try {
      await em.flush();
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException && input.dedupeKey) return null;
      throw err;
    }
    const view = toNotificationView(n);
    this.sink?.publish(agentId, view);
    return view;
  }

  async list(scope: AgentScope, q: NotificationListQuery, now = new Date()): Promise<NotificationView[]> {
    const where: Record<string, unknown> = { agent: scope.agentId };
    if (q.unread_only) where.isRead = false;
    if (!q.include_dismissed) {
      where.isDismissed = false;
      where.$or = [{ autoDismissAt: null }, { autoDismissAt: { $gt: now } }];
    }
    if (q.type) where.type = q.type;
    if (q.priority) where.priority = q.priority;
    const rows = await scope.em.find(Notification, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: q.limit,
    });
    return rows.map(toNotificationView);
  }

  async counts(scope: AgentScope, now = new Date()): Promise<{ unread: number; urgent_unread: number }> {
    const active = {
      agent: scope.agentId,
      isRead: false,
      isDismissed: false,
      $or: [{ autoDismissAt: null }, { autoDismissAt: { $gt: now } }],
    };
    const [unread, urgent] = await Promise.all([
      scope.em.count(Notification, active),
      scope.em.count(Notification, { ...active, priority: 'urgent' }),
    ]);
    return { unread, urgent_unread: urgent };
  }

  async markRead(scope: AgentScope, ids: number[] | 'all', now = new Date()): Promise<number> {
    const where = ids === 'all' ? { agent: scope.agentId, isRead: false } : { agent: scope.agentId, id: { $in: ids } };
    return scope.em.nativeUpdate(Notification, where, { isRead: true, readAt: now });
  }

  async dismiss(scope: AgentScope, id: number, now = new Date()): Promise<NotificationView> {
    const n = await scope.em.findOne(Notification, { id, agent: scope.agentId });
    if (!n) throw new NotFoundError('Notification', id);
    n.isDismissed = true;
    n.dismissedAt = now;
    await scope.em.flush();
    return toNotificationView(n);
  }
}
