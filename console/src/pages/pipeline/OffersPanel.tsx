import { useApi } from '../../api.ts';
import { dateTime, label, money } from '../../format.ts';
import { Empty, Load, Panel } from '../../components/ui.tsx';
import { DataTable } from '../../components/charts.tsx';
import type { Contact, Offer } from './types.ts';

/**
 * The offers on the property, oldest first. An offer names its buyer only by contact id, so the property's
 * contacts are fetched to show names (a buyer who is not a contact of this property shows as "Contact #id").
 */
export function OffersPanel({ id }: { id: number }) {
  const offers = useApi<Offer[]>(`/api/properties/${id}/offers`);
  const contacts = useApi<Contact[]>(`/api/properties/${id}/contacts`);
  const names = new Map((contacts.data ?? []).map((c) => [c.id, c.name]));
  const buyer = (o: Offer): string => {
    if (o.is_our_offer) return 'Our offer';
    if (o.buyer_contact_id === null) return '—';
    return names.get(o.buyer_contact_id) ?? `Contact #${o.buyer_contact_id}`;
  };
  return (
    <Panel title="Offers">
      <Load state={offers} what="offers">
        {(list) =>
          list.length === 0 ? (
            <Empty>No offers yet.</Empty>
          ) : (
            <div className="table-wrap pipeline-table">
              <DataTable
                caption="Offers on this property"
                head={['Buyer', 'Amount', 'Status', 'Submitted', 'Expires', 'Responded']}
                rows={list.map((o) => [
                  buyer(o),
                  money(o.offer_price),
                  `${label(o.status)}${o.parent_offer_id !== null ? ` (counter to #${o.parent_offer_id})` : ''}`,
                  dateTime(o.submitted_at ?? o.created_at),
                  dateTime(o.expires_at),
                  dateTime(o.responded_at),
                ])}
              />
            </div>
          )
        }
      </Load>
    </Panel>
  );
}
