import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTRACT_STATUSES, SIGNER_STATUSES } from '../../../src/domain/contracts/templates/contract-status.ts';
import { readiness, type ReadinessContract } from '../../../src/domain/contracts/templates/readiness.ts';

/** The WP §5 example, with the code's signer statuses. */
const WP_CONTRACTS: ReadinessContract[] = [
  {
    id: 10,
    name: 'Purchase Agreement',
    status: 'completed',
    is_required: true,
    signers: [
      { name: 'Seller', status: 'completed' },
      { name: 'Buyer', status: 'completed' },
    ],
  },
  {
    id: 11,
    name: 'Seller Disclosure',
    status: 'in_progress',
    is_required: true,
    signers: [
      { name: 'Seller', status: 'completed' },
      { name: 'Buyer', status: 'pending' },
    ],
  },
  { id: 12, name: 'Inspection Addendum', status: 'sent', is_required: false, signers: [] },
  { id: 13, name: 'Agency Disclosure', status: 'draft', is_required: true, signers: [] },
  { id: 14, name: 'Financing Addendum', status: 'draft', is_required: false, signers: [] },
];

describe('readiness (signing status)', () => {
  it('reproduces the WP shape', () => {
    const r = readiness(WP_CONTRACTS, ['Lead-Based Paint Disclosure', 'Property Tax Disclosure'], 1);
    expect(r).toEqual({
      property_id: 1,
      is_ready_to_close: false,
      total_contracts: 5,
      required_contracts: 3,
      completed_contracts: 1,
      missing_contracts: 2,
      missing_templates: ['Lead-Based Paint Disclosure', 'Property Tax Disclosure'],
      in_progress_contracts: 2,
      status_breakdown: WP_CONTRACTS.map((c) => ({
        contract_id: c.id,
        contract_name: c.name,
        status: c.status,
        signers: c.signers.map((s) => ({ name: s.name, status: s.status })),
      })),
      next_steps: [
        'Follow up with Buyer on Seller Disclosure',
        'Send Agency Disclosure for signature',
        'Attach missing Lead-Based Paint Disclosure',
        'Attach missing Property Tax Disclosure',
      ],
      voice_summary:
        'Property 1 has 5 total contracts. 3 required, 1 completed. 2 contracts in progress. 2 required contracts missing. Not ready to close. Next step: follow up with Buyer on Seller Disclosure.',
    });
  });

  it('is ready when every required contract is completed and nothing required is missing', () => {
    const done = WP_CONTRACTS.map((c) => (c.is_required ? { ...c, status: 'completed' as const } : c));
    const r = readiness(done, [], 7);
    expect(r.is_ready_to_close).toBe(true);
    expect(r.next_steps).toEqual(['All required contracts are signed; schedule the closing']);
    expect(r.voice_summary).toBe(
      'Property 7 has 5 total contracts. 3 required, 3 completed. 1 contract in progress. Ready to close.',
    );
    expect(readiness(done, ['Lead-Based Paint Disclosure'], 7).is_ready_to_close).toBe(false);
  });

  it('is not ready with no required contract at all', () => {
    const r = readiness([{ id: 1, name: 'Optional', status: 'completed', is_required: false, signers: [] }], [], 3);
    expect(r.is_ready_to_close).toBe(false);
    expect(r.next_steps).toEqual(['Attach the required contracts']);
  });

  it('ignores cancelled and archived contracts; expired ones block and must be re-sent', () => {
    const r = readiness(
      [
        { id: 1, name: 'Old PSA', status: 'cancelled', is_required: true, signers: [] },
        { id: 2, name: 'Archived', status: 'archived', is_required: true, signers: [] },
        { id: 3, name: 'PSA', status: 'completed', is_required: true, signers: [] },
        { id: 4, name: 'Disclosure', status: 'expired', is_required: true, signers: [] },
      ],
      [],
      9,
    );
    expect(r).toMatchObject({ total_contracts: 2, required_contracts: 2, is_ready_to_close: false });
    expect(r.status_breakdown.map((b) => b.contract_id)).toEqual([3, 4]);
    expect(r.next_steps).toEqual(['Re-send expired Disclosure']);
  });

  it('sequential signing waits on the lowest order; a declined signer is resolved first', () => {
    const seq = readiness(
      [
        {
          id: 1,
          name: 'PSA',
          status: 'pending_signature',
          is_required: true,
          signers: [
            { name: 'Ann Buyer', status: 'completed', signing_order: 1 },
            { name: 'Sam Seller', status: 'opened', signing_order: 2 },
            { name: 'Lee Lender', status: 'pending', signing_order: 3 },
          ],
        },
        {
          id: 2,
          name: 'Disclosure',
          status: 'in_progress',
          is_required: true,
          signers: [{ name: 'Sam Seller', status: 'declined' }],
        },
      ],
      [],
      4,
    );
    expect(seq.next_steps).toEqual([
      'Follow up with Sam Seller on PSA',
      'Resolve Sam Seller declining Disclosure, then re-send it',
    ]);
  });
});

const contractArb: fc.Arbitrary<ReadinessContract> = fc.record({
  id: fc.nat(),
  name: fc.constantFrom('PSA', 'Seller Disclosure', 'Lead Paint', 'Addendum'),
  status: fc.constantFrom(...CONTRACT_STATUSES),
  is_required: fc.boolean(),
  signers: fc.array(
    fc.record({ name: fc.constantFrom('Buyer', 'Seller'), status: fc.constantFrom(...SIGNER_STATUSES) }),
    {
      maxLength: 3,
    },
  ),
});

describe('readiness properties', () => {
  it('ready ⇔ nothing missing, ≥1 live required contract, all of them completed; counts are consistent', () => {
    fc.assert(
      fc.property(
        fc.array(contractArb, { maxLength: 8 }),
        fc.array(fc.constantFrom('A', 'B'), { maxLength: 2 }),
        (cs, missing) => {
          const r = readiness(cs, missing, 1);
          const live = cs.filter((c) => c.status !== 'cancelled' && c.status !== 'archived');
          const req = live.filter((c) => c.is_required);
          expect(r.is_ready_to_close).toBe(
            missing.length === 0 && req.length > 0 && req.every((c) => c.status === 'completed'),
          );
          expect(r.completed_contracts + r.in_progress_contracts).toBeLessThanOrEqual(r.total_contracts);
          expect(r.required_contracts).toBeLessThanOrEqual(r.total_contracts);
          expect(r.status_breakdown).toHaveLength(r.total_contracts);
          expect(r.next_steps.length).toBeGreaterThan(0);
          expect(r.voice_summary.endsWith(r.is_ready_to_close ? 'Ready to close.' : '.')).toBe(true);
        },
      ),
    );
  });
});
