import { z } from 'zod';
import { parseViewingTime } from '../voice/nlu/datetime.ts';
import { propertyRefShape, resolveProperty } from './property-ref.ts';
import { defineTool, ToolError } from './registry.ts';

export const scheduleViewing = defineTool({
  name: 'schedule_viewing',
  title: 'Schedule a viewing',
  description:
    'Book a viewing of a property ("tomorrow at 3", or starts_at as ISO 8601). Checks the agent’s calendar; offers free times when taken.',
  input: z.strictObject({
    ...propertyRefShape,
    when: z.string().max(120).optional().describe('As said: "tomorrow at 3 pm", "Friday morning"'),
    starts_at: z.string().max(40).optional(),
    visitor_name: z.string().max(200).optional(),
    visitor_phone: z.string().max(40).optional(),
  }),
  async run(ctx, input) {
    const property = await resolveProperty(ctx, input);
    const agent = await ctx.services.agents.get(ctx.scope.em, ctx.scope.agentId);
    const spoken = input.when ? parseViewingTime(input.when, new Date(), agent.timezone) : null;
    const start = input.starts_at ?? spoken?.start;
    if (!start) throw new ToolError('What day and time would you like to see it?', 'time_required');
    const showing = await ctx.services.showings.schedule(
      ctx.scope,
      {
        property_id: property.id,
        starts_at: start,
        visitor_name: input.visitor_name ?? null,
        visitor_phone: input.visitor_phone ?? null,
      },
      ctx.source,
    );
    return { data: showing, voice_summary: showing.voice_summary, property_id: property.id };
  },
});

export const listShowings = defineTool({
  name: 'list_showings',
  title: 'Upcoming viewings',
  description: 'The booked viewings from now on, soonest first.',
  readOnly: true,
  input: z.strictObject({ limit: z.number().int().min(1).max(50).default(10) }),
  async run(ctx, input) {
    const showings = (
      await ctx.services.showings.list(ctx.scope, { from: new Date().toISOString(), include_cancelled: false })
    ).slice(0, input.limit);
    const voice = showings.length
      ? `You have ${showings.length} upcoming viewing${showings.length === 1 ? '' : 's'}; the next starts ${new Date(showings[0]!.starts_at).toUTCString()}.`
      : 'You have no upcoming viewings.';
    return { data: showings, voice_summary: voice };
  },
});

export const showingTools = [scheduleViewing, listShowings];
