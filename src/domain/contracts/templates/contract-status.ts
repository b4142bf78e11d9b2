/** Contract lifecycle (WP): draft → sent → in_progress → pending_signature → completed, with exits. */
export const CONTRACT_STATUSES = [
  'draft',
  'sent',
  'in_progress',
  'pending_signature',
  'completed',
  'cancelled',
  'expired',
  'archived',
] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const SIGNER_STATUSES = ['pending', 'opened', 'completed', 'declined'] as const;
export type SignerStatus = (typeof SIGNER_STATUSES)[number];

/** Statuses that still move forward (can be cancelled or expire). */
export const OPEN_CONTRACT_STATUSES = ['draft', 'sent', 'in_progress', 'pending_signature'] as const;

/** Out for signature: counted as "in progress" by readiness. */
export const IN_SIGNING_STATUSES: readonly ContractStatus[] = ['sent', 'in_progress', 'pending_signature'];

/** Statuses under which an attached document satisfies a compliance document rule (seed semantics). */
export const SATISFYING_STATUSES: readonly ContractStatus[] = ['in_progress', 'pending_signature', 'completed'];

/** Voided contracts: ignored by readiness counts (as by the pipeline's contract facts). */
export const VOIDED_STATUSES: readonly ContractStatus[] = ['cancelled', 'archived'];

/** Allowed transitions, as data. `archived` is final. */
export const CONTRACT_TRANSITIONS: Readonly<Record<ContractStatus, readonly ContractStatus[]>> = {
  draft: ['sent', 'cancelled', 'expired'],
  sent: ['in_progress', 'cancelled', 'expired'],
  in_progress: ['pending_signature', 'cancelled', 'expired'],
  pending_signature: ['completed', 'cancelled', 'expired'],
  completed: ['archived'],
  cancelled: ['archived'],
  expired: ['archived'],
  archived: [],
};

export class IllegalTransitionError extends Error {
  readonly code = 'illegal_transition';
  readonly status = 409;
  constructor(
    readonly from: ContractStatus,
    readonly to: ContractStatus,
    readonly allowed: readonly ContractStatus[],
  ) {
    super(
      `A contract cannot move from ${from} to ${to}; allowed from ${from}: ${allowed.length ? allowed.join(', ') : 'none (final status)'}`,
    );
    this.name = 'IllegalTransitionError';
  }
}

export function isContractStatus(value: unknown): value is ContractStatus {
  return typeof value === 'string' && (CONTRACT_STATUSES as readonly string[]).includes(value);
}

export function nextStatuses(status: ContractStatus): readonly ContractStatus[] {
  return CONTRACT_TRANSITIONS[status];
}

export function canTransition(from: ContractStatus, to: ContractStatus): boolean {
  return CONTRACT_TRANSITIONS[from].includes(to);
}

/** Throws IllegalTransitionError (with the allowed next statuses) unless `from → to` is allowed. */
export function assertTransition(from: ContractStatus, to: ContractStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, CONTRACT_TRANSITIONS[from]);
}

/** A status with no way forward except archiving (or none at all). */
export function isTerminal(status: ContractStatus): boolean {
  return !(OPEN_CONTRACT_STATUSES as readonly string[]).includes(status);
}
