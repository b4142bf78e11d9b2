import { describe, expect, it } from 'vitest';
import { campaignMoves, campaignTransition } from '../../../state-machines/campaign.machine.ts';

describe('campaign machine', () => {
  it('starts only with targets, pauses and resumes, completes when drained', () => {
    expect(campaignTransition('draft', { type: 'START', targets: 0 })).toBeNull();
    expect(campaignTransition('draft', { type: 'START', targets: 3 })).toBe('active');
    expect(campaignTransition('active', { type: 'PAUSE' })).toBe('paused');
    expect(campaignTransition('paused', { type: 'RESUME' })).toBe('active');
    expect(campaignTransition('paused', { type: 'DRAINED' })).toBeNull(); // a paused campaign waits
    expect(campaignTransition('active', { type: 'DRAINED' })).toBe('completed');
  });

  it('cancels from any live status; the end states do not move', () => {
    for (const s of ['draft', 'active', 'paused'] as const)
      expect(campaignTransition(s, { type: 'CANCEL' })).toBe('cancelled');
    for (const s of ['completed', 'cancelled'] as const) {
      expect(campaignTransition(s, { type: 'RESUME' })).toBeNull();
      expect(campaignTransition(s, { type: 'CANCEL' })).toBeNull();
      expect(campaignMoves(s)).toEqual([]);
    }
    expect(campaignTransition('draft', { type: 'PAUSE' })).toBeNull();
  });

  it('lists the moves of each status', () => {
    expect(campaignMoves('draft').sort()).toEqual(['CANCEL', 'START']);
    expect(campaignMoves('active').sort()).toEqual(['CANCEL', 'DRAINED', 'PAUSE']);
    expect(campaignMoves('paused').sort()).toEqual(['CANCEL', 'RESUME']);
  });
});
