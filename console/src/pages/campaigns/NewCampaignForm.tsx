import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { ApiError, post, query, useApi } from '../../api.ts';
import { ErrorNote, Field } from '../../components/ui.tsx';
import { label, phone } from '../../format.ts';
import { purposeLabel, useCampaignOptions, type Campaign } from './types.ts';
import './campaigns.css';

interface PropertyOption {
  id: number;
  address: string;
  city: string;
  state: string;
}

interface FormState {
  name: string;
  purpose: string;
  playbook: string;
  property_id: string;
  contact_roles: string[];
  caller_id: string;
  telemarketing: boolean;
  window_start: string;
  window_end: string;
  calls_per_minute: string;
  max_concurrent: string;
  max_attempts: string;
  retry_delay_minutes: string;
}

const INITIAL: FormState = {
  name: '',
  purpose: 'just_listed',
  playbook: '',
  property_id: '',
  contact_roles: [],
  caller_id: '',
  telemarketing: true,
  window_start: '09:00',
  window_end: '19:00',
  calls_per_minute: '5',
  max_concurrent: '2',
  max_attempts: '3',
  retry_delay_minutes: '60',
};

type NumberKey = 'calls_per_minute' | 'max_concurrent' | 'max_attempts' | 'retry_delay_minutes';
const NUMBERS: { key: NumberKey; label: string; min: number; max: number; hint?: string }[] = [
  { key: 'calls_per_minute', label: 'Calls per minute', min: 1, max: 120 },
  { key: 'max_concurrent', label: 'Calls at once', min: 1, max: 50 },
  { key: 'max_attempts', label: 'Attempts per number', min: 1, max: 10 },
  { key: 'retry_delay_minutes', label: 'Minutes before a retry', min: 1, max: 10_080 },
];

/** The body of POST /api/campaigns (CampaignCreateSchema); blank numbers are left to the server's defaults. */
export function campaignBody(f: FormState): Record<string, unknown> {
  const body: Record<string, unknown> = { name: f.name.trim(), purpose: f.purpose };
  if (f.playbook) body.playbook = f.playbook;
  if (f.property_id) {
    body.property_id = Number(f.property_id);
    if (f.contact_roles.length) body.contact_roles = f.contact_roles;
  }
  body.caller_id = f.caller_id.trim();
  body.telemarketing = f.telemarketing;
  if (f.window_start) body.window_start = f.window_start;
  if (f.window_end) body.window_end = f.window_end;
  for (const { key } of NUMBERS) if (f[key].trim() !== '') body[key] = Number(f[key]);
  return body;
}

/**
 * What a 400 says of each field it names: `details.issues[]` (schema checks: path "body.caller_id" and a
 * message), `details.field` (domain checks: the error's message), `details.playbooks` (an unknown playbook).
 */
export function fieldErrors(error: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!(error instanceof ApiError)) return out;
  const d = (error.details ?? {}) as {
    field?: string;
    issues?: { path?: string; message?: string }[];
    playbooks?: unknown;
  };
  for (const i of d.issues ?? []) if (i.path) out.set(i.path.split('.')[1] ?? i.path, i.message ?? error.message);
  if (d.field) out.set(d.field, error.message);
  if (d.playbooks) out.set('playbook', error.message);
  return out;
}

/** Creates a draft campaign, then opens it. On a refusal every value stays as typed. */
export function NewCampaignForm() {
  const [, navigate] = useLocation();
  const [form, setForm] = useState<FormState>(INITIAL);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const properties = useApi<{ items: PropertyOption[]; total: number }>(
    `/api/properties${query({ limit: 100, include_heartbeat: false })}`,
  );
  const me = useApi<{ line_numbers: string[] }>('/api/agents/me');
  const options = useCampaignOptions().data;
  const lines = me.data?.line_numbers ?? [];
  const linesId = useId();

  const first = lines[0];
  useEffect(() => {
    if (first) setForm((f) => (f.caller_id ? f : { ...f, caller_id: first }));
  }, [first]);

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const errors = fieldErrors(error);
  const text = (key: Exclude<keyof FormState, 'contact_roles' | 'telemarketing'>) => ({
    name: key,
    value: form[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
    'aria-invalid': errors.has(key) || undefined,
  });
  const toggleRole = (role: string, on: boolean) =>
    set('contact_roles', on ? [...form.contact_roles, role] : form.contact_roles.filter((r) => r !== role));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await post<Campaign>('/api/campaigns', campaignBody(form));
      navigate(`/campaigns/${created.id}`);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const defaultPlaybook = options?.purposes.find((p) => p.purpose === form.purpose)?.default_playbook ?? '…';
  return (
    <form onSubmit={submit} className="campaign-form" aria-label="New campaign">
      <div className="form-grid">
        <Field label="Name" error={errors.get('name')}>
          {(id, described) => <input id={id} required maxLength={200} aria-describedby={described} {...text('name')} />}
        </Field>
        <Field label="Purpose" error={errors.get('purpose')}>
          {(id, described) => (
            <select id={id} aria-describedby={described} {...text('purpose')}>
              {(options?.purposes ?? [{ purpose: form.purpose }]).map((p) => (
                <option key={p.purpose} value={p.purpose}>
                  {purposeLabel(p.purpose)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Playbook"
          hint="What the agent says on the calls (agents/<playbook>.json)."
          error={errors.get('playbook')}
        >
          {(id, hint) => (
            <select id={id} aria-describedby={hint} {...text('playbook')}>
              <option value="">Default for the purpose ({defaultPlaybook})</option>
              {options?.playbooks.map((p) => (
                <option key={p.name} value={p.name} title={p.goal}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Property"
          hint={properties.error ? `Properties could not be loaded: ${properties.error.message}` : undefined}
          error={errors.get('property_id')}
        >
          {(id, hint) => (
            <select id={id} aria-describedby={hint} {...text('property_id')}>
              <option value="">No property</option>
              {(properties.data?.items ?? []).map((p) => (
                <option key={p.id} value={p.id}>
                  {p.address}, {p.city}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Caller ID"
          hint={`The number the calls come from; it must take call-backs and do-not-call requests.${
            lines.length ? ` Your lines: ${lines.map((l) => phone(l)).join(', ')}.` : ''
          }`}
          error={errors.get('caller_id')}
        >
          {(id, hint) => (
            <>
              <input
                id={id}
                type="tel"
                required
                autoComplete="off"
                list={linesId}
                aria-describedby={hint}
                {...text('caller_id')}
              />
              <datalist id={linesId}>
                {lines.map((l) => (
                  <option key={l} value={l} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field
          label="Calling from"
          hint="The recipient’s local time, inside the legal hours."
          error={errors.get('window_start')}
        >
          {(id, hint) => <input id={id} type="time" required aria-describedby={hint} {...text('window_start')} />}
        </Field>
        <Field label="Calling until" error={errors.get('window_end')}>
          {(id, described) => (
            <input id={id} type="time" required aria-describedby={described} {...text('window_end')} />
          )}
        </Field>
        {NUMBERS.map((n) => (
          <Field key={n.key} label={n.label} error={errors.get(n.key)}>
            {(id, described) => (
              <input
                id={id}
                type="number"
                inputMode="numeric"
                min={n.min}
                max={n.max}
                aria-describedby={described}
                {...text(n.key)}
              />
            )}
          </Field>
        ))}
      </div>
      {form.property_id ? (
        <Checks legend="Contacts of the property to enrol" hint="None ticked: every contact of the property.">
          {options?.contact_roles.map((role) => (
            <label key={role}>
              <input
                type="checkbox"
                checked={form.contact_roles.includes(role)}
                onChange={(e) => toggleRole(role, e.target.checked)}
              />{' '}
              {label(role)}
            </label>
          ))}
        </Checks>
      ) : null}
      <label className="campaign-check">
        <input
          type="checkbox"
          checked={form.telemarketing}
          onChange={(e) => set('telemarketing', e.target.checked)}
          aria-invalid={errors.has('telemarketing') || undefined}
        />{' '}
        Telemarketing (a sales call: each number needs prior express written consent)
      </label>
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create campaign'}
        </button>
      </div>
    </form>
  );
}

function Checks({ legend, hint, children }: { legend: string; hint: string; children: ReactNode }) {
  const id = useId();
  return (
    <fieldset className="role-checks" aria-describedby={id}>
      <legend>{legend}</legend>
      <small id={id} className="muted">
        {hint}
      </small>
      <div className="checks">{children}</div>
    </fieldset>
  );
}
