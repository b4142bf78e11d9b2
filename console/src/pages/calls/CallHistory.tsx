import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { useState, type FormEvent, type InputHTMLAttributes } from 'react';
import { Link, useSearch, useSearchParams } from 'wouter';
import { query, useApi } from '../../api.ts';
import { Empty, ErrorNote, Field, Loading, Page, Pager, Panel } from '../../components/ui.tsx';
import { count, dateTime, duration, label, phone } from '../../format.ts';
import {
  CALL_OUTCOMES,
  callName,
  type CallPage,
  callPath,
  contactOf,
  elapsedSec,
  lineOf,
  shownStatus,
} from './model.ts';
import { OutcomeBadge, StatusBadge } from './parts.tsx';

export const PAGE_SIZE = 25;
const FILTERS = ['from', 'to', 'line', 'outcome', 'property'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** A yyyy-mm-dd day's local midnight (plus `days`) as an ISO instant; undefined for anything else. */
function dayStart(day: string | null, days = 0): string | undefined {
  const m = day?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days).toISOString() : undefined;
}

/** A whole number > 0 from the URL, else nothing (a hand-edited URL must not become a 400). */
const positive = (v: string | null): number | undefined => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/** The API query of the page's URL: the "to" day is included (the API's `to` is exclusive). */
export function callsQuery(p: URLSearchParams): string {
  return query({
    from: dayStart(p.get('from')),
    to: dayStart(p.get('to'), 1),
    line: p.get('line'),
    outcome: p.get('outcome'),
    property_id: positive(p.get('property')),
    limit: PAGE_SIZE,
    offset: positive(p.get('offset')),
  });
}

/** Calls, newest first, filtered by day, line, outcome and property; the filters and page live in the URL. */
export function CallHistory() {
  const search = useSearch();
  const [params, setParams] = useSearchParams();
  const { data, error, loading } = useApi<CallPage>(`/api/calls${callsQuery(params)}`);
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const filters = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as Filters;

  const apply = (next: Filters) => setParams(Object.fromEntries(Object.entries(next).filter(([, v]) => v)));
  const goTo = (o: number) =>
    setParams((p) => {
      const q = new URLSearchParams(p);
      if (o > 0) q.set('offset', String(o));
      else q.delete('offset');
      return q;
    });

  const items = data?.items ?? [];
  const shown = items.length ? `${offset + 1}–${offset + items.length} of ${count(data?.total)}` : '';
  return (
    <Page title="Call review">
      <Panel title="Filters">
        <FiltersForm key={search} initial={filters} onApply={apply} />
      </Panel>
      <Panel title="Calls">
        <ErrorNote error={error} />
        {!data && loading ? <Loading what="Loading the calls" /> : null}
        {data && !items.length ? <Empty>No calls match these filters.</Empty> : null}
        {items.length ? (
          <div className="table-wrap calls-wrap" aria-busy={loading}>
            <table className="calls-table">
              <caption>Calls, newest first ({shown})</caption>
              <thead>
                <tr>
                  {['Started', 'Contact', 'Line', 'Direction', 'Duration', 'Outcome', 'Status', 'Property', ''].map(
                    (h, i) => (
                      <th key={i} scope="col">
                        {h || <span className="sr-only">Review</span>}
                      </th>
                    ),
                  )}
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.call_sid}>
                    <th scope="row">{dateTime(c.started_at)}</th>
                    <td>{c.from || c.to ? phone(contactOf(c)) : 'Test call'}</td>
                    <td>{phone(lineOf(c))}</td>
                    <td>{label(c.direction)}</td>
                    <td>{duration(c.duration_sec ?? (c.ended_at ? elapsedSec(c.started_at, c.ended_at) : null))}</td>
                    <td>
                      <OutcomeBadge outcome={c.outcome} />
                    </td>
                    <td>
                      <StatusBadge status={shownStatus(c)} />
                    </td>
                    <td>{c.property_id ? <Link href={`/properties/${c.property_id}`}>#{c.property_id}</Link> : '—'}</td>
                    <td>
                      <Link href={callPath(c.call_sid)}>
                        Review<span className="sr-only">: {`${callName(c)}, ${dateTime(c.started_at)}`}</span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {data ? (
          <Pager offset={offset} shown={items.length} total={data.total} pageSize={PAGE_SIZE} onPage={goTo} />
        ) : null}
      </Panel>
    </Page>
  );
}

function FiltersForm({ initial, onApply }: { initial: Filters; onApply: (f: Filters) => void }) {
  const [f, setF] = useState(initial);
  const [problems, setProblems] = useState<Partial<Filters>>({});
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const out: Partial<Filters> = {};
    let line = f.line.trim();
    if (line) {
      const p = parsePhoneNumberFromString(line, 'US');
      if (p?.isValid()) line = p.number;
      else out.line = 'Enter a phone number, like (512) 555-0147 or +15125550147.';
    }
    if (f.from && f.to && f.to < f.from) out.to = 'The end date is before the start date.';
    if (f.property && !/^[1-9]\d*$/.test(f.property.trim())) out.property = 'A property id is a whole number.';
    setProblems(out);
    if (!Object.keys(out).length) onApply({ ...f, line, property: f.property.trim() });
  };

  const clear = () => {
    const none: Filters = { from: '', to: '', line: '', outcome: '', property: '' };
    setF(none);
    setProblems({});
    onApply(none);
  };

  const input =
    (k: keyof Filters, props: InputHTMLAttributes<HTMLInputElement>) => (id: string, describedBy?: string) => (
      <input
        id={id}
        name={k}
        value={f[k]}
        onChange={set(k)}
        aria-invalid={problems[k] ? true : undefined}
        aria-describedby={describedBy}
        {...props}
      />
    );

  return (
    <form className="filters" onSubmit={submit} aria-label="Call filters">
      <Field label="From date" error={problems.from}>
        {input('from', { type: 'date' })}
      </Field>
      <Field label="To date" error={problems.to}>
        {input('to', { type: 'date' })}
      </Field>
      <Field label="Line" hint="Your number the call came in on, or called out from" error={problems.line}>
        {input('line', { type: 'tel', autoComplete: 'off', placeholder: '+15125550147' })}
      </Field>
      <Field label="Outcome">
        {(id) => (
          <select id={id} name="outcome" value={f.outcome} onChange={set('outcome')}>
            <option value="">Any outcome</option>
            {CALL_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {label(o)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Property id" error={problems.property}>
        {input('property', { inputMode: 'numeric', placeholder: 'id' })}
      </Field>
      <div className="row filter-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={clear}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
