import { setup, transition } from 'xstate';

/**
 * An outbound campaign's lifecycle. Pure: the campaign service asks it which move an event makes from the
 * stored status (`campaignTransition`) and persists the answer; nothing here touches a database or a phone.
 *
 *   draft ──START (has targets)──▶ active ⇄ paused      active ──DRAINED──▶ completed
 *   draft | active | paused ──CANCEL──▶ cancelled
 */

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'completed' | 'cancelled';

export type CampaignEvent =
  | { type: 'START'; targets: number }
  | { type: 'PAUSE' }
  | { type: 'RESUME' }
  /** No target is queued, waiting for a retry or in a call any more. */
  | { type: 'DRAINED' }
  | { type: 'CANCEL' };

export const campaignMachine = setup({
  types: { events: {} as CampaignEvent },
  guards: {
    hasTargets: ({ event }) => event.type === 'START' && event.targets > 0,
  },
}).createMachine({
  id: 'campaign',
  initial: 'draft',
  states: {
    draft: {
      on: { START: { target: 'active', guard: 'hasTargets' }, CANCEL: 'cancelled' },
    },
    active: {
      on: { PAUSE: 'paused', DRAINED: 'completed', CANCEL: 'cancelled' },
    },
    paused: {
      on: { RESUME: 'active', CANCEL: 'cancelled' },
    },
    completed: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

/** Where `event` takes a campaign in `status`: the next status, or null when the machine does not move. */
export function campaignTransition(status: CampaignStatus, event: CampaignEvent): CampaignStatus | null {
  const [next] = transition(campaignMachine, campaignMachine.resolveState({ value: status }), event);
  return next.value === status ? null : (next.value as CampaignStatus);
}

/** The events `status` reacts to (for a 409's "allowed" list). */
export function campaignMoves(status: CampaignStatus): CampaignEvent['type'][] {
  return campaignMachine.root.states[status]!.ownEvents as CampaignEvent['type'][];
}
