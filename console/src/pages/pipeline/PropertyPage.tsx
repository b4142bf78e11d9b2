import { Link } from 'wouter';
import { ApiError, useApi } from '../../api.ts';
import { ErrorNote, Loading, Page } from '../../components/ui.tsx';
import { ClosingPanel } from './ClosingPanel.tsx';
import { ContractsPanel } from './ContractsPanel.tsx';
import { OffersPanel } from './OffersPanel.tsx';
import { FactsPanel, HeartbeatPanel } from './PropertyFacts.tsx';
import { ValuationPanel } from './ValuationPanel.tsx';
import { propertyCallsPath } from '../calls/model.ts';
import type { Property } from './types.ts';

const valid = (id: number) => Number.isInteger(id) && id > 0 && id <= 2_147_483_647;

/**
 * One property: its facts and heartbeat (one request), then contracts readiness, offers, valuation with comps
 * (each panel loads on its own once the property is known), and a closing prediction on request.
 */
export function PropertyPage({ id }: { id: number }) {
  const property = useApi<Property>(valid(id) ? `/api/properties/${id}` : null);
  const notFound = !valid(id) || (property.error instanceof ApiError && property.error.status === 404);

  if (notFound) {
    return (
      <Page title="Property not found">
        <p role="alert">
          {valid(id) ? `There is no property ${id} in your portfolio.` : 'There is no such property.'} It may have been
          deleted, or the link is wrong.
        </p>
        <p>
          <Link href="/pipeline">Back to the pipeline</Link>
        </p>
      </Page>
    );
  }
  const p = property.data;
  if (!p) {
    return (
      <Page title="Property">
        {property.error ? <ErrorNote error={property.error} /> : <Loading what="Loading the property" />}
      </Page>
    );
  }
  return (
    <Page
      title={p.address}
      actions={
        <>
          <Link href="/pipeline">Back to the pipeline</Link>
          <Link href={propertyCallsPath(p.id)}>Calls about this property</Link>
        </>
      }
    >
      <ErrorNote error={property.error} />
      <div className="grid">
        <FactsPanel property={p} />
        <HeartbeatPanel heartbeat={p.heartbeat} />
      </div>
      <ContractsPanel id={p.id} />
      <OffersPanel id={p.id} />
      <ValuationPanel id={p.id} />
      <ClosingPanel id={p.id} />
    </Page>
  );
}
