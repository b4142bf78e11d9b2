import { useApi } from '../../api.ts';
import { dateTime, label } from '../../format.ts';
import { Badge, Empty, Facts, Load, Panel, type Tone } from '../../components/ui.tsx';
import { DataTable } from '../../components/charts.tsx';
import type { Contract, Readiness } from './types.ts';

const STATUS_TONE: Record<string, Tone> = {
  completed: 'good',
  sent: 'info',
  in_progress: 'info',
  pending_signature: 'info',
  draft: 'neutral',
  expired: 'bad',
  cancelled: 'neutral',
  archived: 'neutral',
};

/** Ready to close or not, what is missing and the next steps; then each contract with its status and signers. */
export function ContractsPanel({ id }: { id: number }) {
  const readiness = useApi<Readiness>(`/api/properties/${id}/contracts/readiness`);
  const contracts = useApi<Contract[]>(`/api/properties/${id}/contracts`);
  return (
    <Panel title="Contracts readiness">
      <Load state={readiness} what="contracts readiness">
        {(r) => (
          <>
            <p>
              <Badge tone={r.is_ready_to_close ? 'good' : 'warn'}>
                {r.is_ready_to_close ? 'Ready to close' : 'Not ready to close'}
              </Badge>
            </p>
            <Facts
              items={[
                ['Required contracts', `${r.required_contracts} attached`],
                ['Completed', String(r.completed_contracts)],
                ['Out for signature', String(r.in_progress_contracts)],
                [
                  'Missing',
                  r.missing_templates.length === 0 ? 'None' : `Not attached: ${r.missing_templates.join(', ')}`,
                ],
              ]}
            />
            {r.next_steps.length ? (
              <>
                <h3>Next steps</h3>
                <ul>
                  {r.next_steps.map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        )}
      </Load>
      <Load state={contracts} what="contracts">
        {(list) =>
          list.length === 0 ? (
            <Empty>No contracts are attached.</Empty>
          ) : (
            <div className="table-wrap pipeline-table">
              <DataTable
                caption="Contracts of this property"
                head={['Contract', 'Required', 'Status', 'Signers', 'Required by']}
                rows={list.map((c) => [
                  c.name,
                  c.is_required ? 'Required' : 'Optional',
                  <Badge key="s" tone={STATUS_TONE[c.status] ?? 'neutral'}>
                    {label(c.status)}
                  </Badge>,
                  c.signers.length ? c.signers.map((s) => `${s.name} (${label(s.status)})`).join(', ') : '—',
                  dateTime(c.required_by_date),
                ])}
              />
            </div>
          )
        }
      </Load>
    </Panel>
  );
}
