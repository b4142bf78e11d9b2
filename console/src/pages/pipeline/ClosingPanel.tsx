import { useApi } from '../../api.ts';
import { count, label, percent } from '../../format.ts';
import { Facts, Load, Panel } from '../../components/ui.tsx';
import { PriorityBadge } from './shared.tsx';
import type { ClosingPrediction } from './types.ts';

/** The closing prediction (a read: the server logs predictions for its learning loop only when one is made). */
export function ClosingPanel({ id }: { id: number }) {
  const prediction = useApi<ClosingPrediction>(`/api/properties/${id}/closing-prediction`);
  return (
    <Panel title="Closing outlook">
      <Load state={prediction} what="the closing prediction">
        {(c) => (
          <>
            <Facts
              items={[
                ['Closing probability', percent(c.closing_probability, 0)],
                ['Confidence', label(c.confidence)],
                ['Risk', label(c.risk_level)],
                ['Days to close', count(c.days_to_close)],
              ]}
            />
            <List title="Strengths" items={c.strengths} />
            <List title="Risks" items={c.risk_factors} />
            {c.recommended_actions.length ? (
              <>
                <h3>Recommended actions</h3>
                <ul>
                  {c.recommended_actions.map((a) => (
                    <li key={a.action}>
                      <PriorityBadge priority={a.priority} /> <strong>{a.action}</strong>: {a.reason}{' '}
                      <span className="muted">({a.expected_impact})</span>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        )}
      </Load>
    </Panel>
  );
}

function List({ title, items }: { title: string; items: string[] }) {
  if (!items.length) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {items.map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
    </>
  );
}
