import { z } from 'zod';
import { STAGE_LABELS } from '../domain/properties/property.enums.ts';
import { propertyRefShape, resolveProperty } from './property-ref.ts';
import { defineTool } from './registry.ts';

export const checkPipeline = defineTool({
  name: 'check_pipeline',
  title: 'Advance the pipeline',
  description:
    'Move properties to their next pipeline stage where the facts allow it (market data, skip trace, contracts, signatures). ' +
    'Without a property, checks them all.',
  input: z.strictObject({ ...propertyRefShape }),
  async run(ctx, input) {
    const only =
      input.property_id !== undefined || input.property !== undefined ? await resolveProperty(ctx, input) : null;
    const result = await ctx.services.pipeline.check(ctx.scope, new Date(), only ? [only.id] : undefined);
    const moved = result.advanced.map((a) => `${a.address} moved to ${STAGE_LABELS[a.to]}`);
    const voice =
      moved.length === 0
        ? `Checked ${result.checked} ${result.checked === 1 ? 'property' : 'properties'}; none is ready for its next stage.`
        : `${moved.join('; ')}.`;
    return { data: result, voice_summary: voice, property_id: only?.id ?? null };
  },
});

export const listNotifications = defineTool({
  name: 'list_notifications',
  title: 'Notifications',
  description: 'Unread notifications, most recent first (pipeline moves, due tasks, signed contracts, new leads …).',
  readOnly: true,
  input: z.strictObject({
    limit: z.number().int().min(1).max(50).default(10),
    include_read: z.boolean().default(false),
  }),
  async run(ctx, input) {
    const items = await ctx.services.notifications.list(ctx.scope, {
      unread_only: !input.include_read,
      include_dismissed: false,
      limit: input.limit,
    });
    const urgent = items.filter((n) => n.priority === 'urgent' || n.priority === 'high');
    const lead = urgent[0] ?? items[0];
    const voice =
      items.length === 0
        ? 'You have no new notifications.'
        : `You have ${items.length} ${input.include_read ? '' : 'unread '}notification${items.length === 1 ? '' : 's'}` +
          (urgent.length ? `, ${urgent.length} important` : '') +
          `. ${urgent.length ? 'Most important' : 'Latest'}: ${lead!.message}`;
    return { data: items, voice_summary: voice };
  },
});

export const markNotificationsRead = defineTool({
  name: 'mark_notifications_read',
  title: 'Mark notifications read',
  description: 'Mark the given notifications, or all of them, as read.',
  input: z.strictObject({ ids: z.array(z.number().int().positive()).max(200).optional(), all: z.boolean().optional() }),
  async run(ctx, input) {
    const target = input.all ? 'all' : (input.ids ?? []);
    const n = await ctx.services.notifications.markRead(ctx.scope, target);
    return { data: { marked: n }, voice_summary: `Marked ${n} notification${n === 1 ? '' : 's'} as read.` };
  },
});

export const pipelineTools = [checkPipeline, listNotifications, markNotificationsRead];
