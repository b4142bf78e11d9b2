import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Agent } from '../agents/agent.entity.ts';

export const NOTIFICATION_TYPES = [
  'contract_signed',
  'contract_deadline',
  'contract_reminder',
  'new_lead',
  'follow_up_due',
  'task_due',
  'pipeline_auto_advance',
  'daily_digest',
  'transaction_deadline',
  'offer_received',
  'offer_update',
  'compliance_issue',
  'property_alert',
  'system',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const NOTIFICATION_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type NotificationPriority = (typeof NOTIFICATION_PRIORITIES)[number];

export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notifications',
  properties: {
    id: p.integer().primary(),
    agent: () => p.manyToOne(Agent).deleteRule('cascade'),
    type: p.enum(NOTIFICATION_TYPES),
    priority: p.enum(NOTIFICATION_PRIORITIES).default('medium'),
    title: p.string().length(200),
    message: p.text(),
    propertyId: p.integer().nullable(),
    contactId: p.integer().nullable(),
    contractId: p.integer().nullable(),
    data: p.json<Record<string, unknown>>().nullable(),
    icon: p.string().length(40).nullable(),
    actionUrl: p.string().length(300).nullable(),
    isRead: p.boolean().default(false),
    readAt: p.datetime().nullable(),
    isDismissed: p.boolean().default(false),
    dismissedAt: p.datetime().nullable(),
    autoDismissSeconds: p.integer().nullable(),
    /** created_at + auto_dismiss_seconds: after it the notification no longer counts as active. */
    autoDismissAt: p.datetime().nullable(),
    /** Deduplicates notifications raised by jobs that may run again (e.g. "task 12 due"). */
    dedupeKey: p.string().length(200).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  uniques: [{ name: 'notifications_agent_dedupe_unique', properties: ['agent', 'dedupeKey'] }],
  indexes: [{ name: 'notifications_agent_created_idx', properties: ['agent', 'createdAt'] }],
});
export type INotification = InferEntity<typeof Notification>;
