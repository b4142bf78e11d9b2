import type { StageFactsSource } from '../properties/stage-facts.ts';

/** Pipeline facts from contracts: attached (not cancelled/archived), required, required completed. */
export const contractFacts: StageFactsSource = async (em, agentId, propertyIds) => {
  const out = new Map<number, { contractsAttached: number; requiredContracts: number; requiredCompleted: number }>();
  if (propertyIds.length === 0) return out;
  const rows = await em.execute<{ property_id: number; attached: string; required: string; required_done: string }[]>(
    `select property_id,
            count(*) as attached,
            count(*) filter (where is_required) as required,
            count(*) filter (where is_required and status = 'completed') as required_done
       from contracts
      where agent_id = ? and property_id in (${propertyIds.map(() => '?').join(',')})
        and status not in ('cancelled', 'archived')
      group by property_id`,
    [agentId, ...propertyIds],
  );
  for (const r of rows) {
    out.set(Number(r.property_id), {
      contractsAttached: Number(r.attached),
      requiredContracts: Number(r.required),
      requiredCompleted: Number(r.required_done),
    });
  }
  return out;
};
