import { useEffect, useId, type ReactNode } from 'react';
import { ApiError, type Loaded } from '../api.ts';
import { count } from '../format.ts';

/** A page: its heading (h1, focus target after navigation) and the document title. */
export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Realtor Voice`;
  }, [title]);
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export function Panel({ title, children, className }: { title: ReactNode; children: ReactNode; className?: string }) {
  const id = useId();
  return (
    <section className={`panel ${className ?? ''}`} aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="muted" role="status">
      {what}…
    </p>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="muted empty">{children}</p>;
}

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral';

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/**
 * A labelled form control. `hint` and `error` (what is wrong with the value) are shown under it and read with it:
 * `children` gets the control's id and the ids for its aria-describedby.
 */
export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: (id: string, describedBy?: string) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {error ? (
        <small id={errorId} className="error">
          {error}
        </small>
      ) : null}
      {hint ? (
        <small id={hintId} className="muted">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

/**
 * Label → value pairs as a description list (pairs whose value is null or undefined are left out). `layout`:
 * `grid` (default) puts them in columns, `rows` one under another with the labels in a column of their own.
 */
export function Facts({ items, layout = 'grid' }: { items: [string, ReactNode][]; layout?: 'grid' | 'rows' }) {
  return (
    <dl className={layout === 'rows' ? 'facts facts-rows' : 'facts'}>
      {items
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  );
}

/** The states of a `useApi` result: the error, "Loading…" until there is data, then the content. */
export function Load<T>({
  state,
  what,
  children,
}: {
  state: Loaded<T>;
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.data !== undefined)
    return (
      <>
        <ErrorNote error={state.error} />
        {children(state.data)}
      </>
    );
  if (state.error) return <ErrorNote error={state.error} />;
  return <Loading what={`Loading ${what}`} />;
}

/** Previous / Next for a page of `shown` items out of `total` at `offset`; nothing when it all fits one page. */
export function Pager({
  offset,
  shown,
  total,
  pageSize,
  onPage,
}: {
  offset: number;
  shown: number;
  total: number;
  pageSize: number;
  onPage: (offset: number) => void;
}) {
  if (offset === 0 && total <= shown) return null;
  const range = shown ? `${offset + 1}–${offset + shown} of ${count(total)}` : '';
  return (
    <nav className="row pager" aria-label="Pages">
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - pageSize))}>
        Previous
      </button>
      <button type="button" disabled={offset + shown >= total} onClick={() => onPage(offset + pageSize)}>
        Next
      </button>
      <span className="muted" aria-live="polite">
        {range ? `Showing ${range}` : ''}
      </span>
    </nav>
  );
}
