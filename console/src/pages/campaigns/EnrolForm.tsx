import { useState, type FormEvent } from 'react';
import { post } from '../../api.ts';
import { ErrorNote, Field } from '../../components/ui.tsx';
import { count, label } from '../../format.ts';
import type { Campaign, EnrolReport } from './types.ts';

interface NumberLine {
  phone: string;
  name?: string;
}

/** "512 555 0101, Ann Lee" → { phone, name }; blank lines are skipped. */
export function parseNumbers(text: string): NumberLine[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const comma = line.indexOf(',');
      if (comma < 0) return { phone: line };
      const name = line.slice(comma + 1).trim();
      return { phone: line.slice(0, comma).trim(), ...(name ? { name } : {}) };
    });
}

/**
 * Enrols raw numbers (one a line, optionally ", name") and/or the campaign property's contacts (by the roles
 * chosen when it was created). The report says what was added; invalid numbers stay in the box to fix.
 */
export function EnrolForm({ campaign, onEnrolled }: { campaign: Campaign; onEnrolled: () => void }) {
  const [text, setText] = useState('');
  const [fromProperty, setFromProperty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<EnrolReport | null>(null);

  const numbers = parseNumbers(text);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        ...(numbers.length ? { numbers } : {}),
        ...(fromProperty ? { from_property: true } : {}),
      };
      const result = await post<EnrolReport>(`/api/campaigns/${campaign.id}/targets`, body);
      setReport(result);
      const invalid = new Set(result.invalid);
      setText(
        text
          .split('\n')
          .filter((line) => invalid.has(parseNumbers(line)[0]?.phone ?? ''))
          .join('\n'),
      );
      setFromProperty(false);
      onEnrolled();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const roles = campaign.contact_roles.length ? campaign.contact_roles.map(label).join(', ') : 'every role';
  return (
    <form onSubmit={submit} aria-label="Enrol targets">
      <Field
        label="Phone numbers, one per line"
        hint="Any common format; a name may follow a comma: (512) 555-0101, Ann Lee"
      >
        {(id, hint) => (
          <textarea
            id={id}
            rows={6}
            className="campaign-numbers"
            aria-describedby={hint}
            value={text}
            onChange={(e) => setText(e.target.value)}
            spellCheck={false}
          />
        )}
      </Field>
      {campaign.property_id ? (
        <label className="campaign-check">
          <input type="checkbox" checked={fromProperty} onChange={(e) => setFromProperty(e.target.checked)} /> Also the
          property’s contacts ({roles})
        </label>
      ) : null}
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy || (!numbers.length && !fromProperty)}>
          {busy ? 'Enrolling…' : 'Enrol'}
        </button>
      </div>
      <div role="status" className="enrol-result">
        {report ? <EnrolSummary report={report} /> : null}
      </div>
    </form>
  );
}

function EnrolSummary({ report }: { report: EnrolReport }) {
  return (
    <>
      <p>
        Added {count(report.added)} of {count(report.requested)}.
      </p>
      <ul>
        {report.skipped_existing ? <li>{count(report.skipped_existing)} already in the campaign</li> : null}
        {report.skipped_duplicate ? <li>{count(report.skipped_duplicate)} given twice</li> : null}
        {report.invalid.length ? (
          <li>
            {count(report.invalid.length)} invalid (left in the box to fix): {report.invalid.join(', ')}
          </li>
        ) : null}
      </ul>
    </>
  );
}
