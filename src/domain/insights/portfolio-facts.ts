import type { SqlEntityManager } from '@mikro-orm/sql';
import type { ContactRole } from '../contacts/contact.entity.ts';
import type { ContractStatus } from '../contracts/contract.entity.ts';

/**
 * Batched reads of what the intelligence algorithms need about a set of properties: one query
 * per table, keyed by property id.
 */
export interface PropertyFactRows {
  lastActivity: Map<number, Date>;
  historyLast7Days: Map<number, number>;
  historyPrevious7Days: Map<number, number>;
  enrichments: Map<
    number,
    {
      zestimate: number | null;
      rentZestimate: number | null;
      daysOnMarket: number | null;
      schoolRating: number | null;
      taxAssessedValue: number | null;
      priceHistory: { date: string; price: number; event: string }[];
    }
  >;
  callTools: Set<number>;
  contracts: Map<
    number,
    { name: string; required: boolean; status: ContractStatus; requiredByDate: Date | null; createdAt: Date }[]
  >;
  contacts: Map<number, { name: string; role: ContactRole; phone: string | null }[]>;
  skipTraces: Map<number, { ownerName: string | null; phones: string[]; emails: string[] }>;
  notes: Map<number, number>;
  activeTasks: Map<number, number>;
  overdueFollowUps: Map<number, string>;
  snoozedUntil: Map<number, Date>;
  notificationsLast7Days: Map<number, number>;
}

const group = <T>(rows: T[], key: (r: T) => number): Map<number, T[]> => {
  const out = new Map<number, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
};

export async function loadPropertyFacts(
  em: SqlEntityManager,
  agentId: number,
  ids: readonly number[],
  now: Date,
  callToolNames: readonly string[],
): Promise<PropertyFactRows> {
  const empty: PropertyFactRows = {
    lastActivity: new Map(),
    historyLast7Days: new Map(),
    historyPrevious7Days: new Map(),
    enrichments: new Map(),
    callTools: new Set(),
    contracts: new Map(),
    contacts: new Map(),
    skipTraces: new Map(),
    notes: new Map(),
    activeTasks: new Map(),
    overdueFollowUps: new Map(),
    snoozedUntil: new Map(),
    notificationsLast7Days: new Map(),
  };
  if (ids.length === 0) return empty;
  const inIds = ids.map(() => '?').join(',');
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  const twoWeeksAgo = new Date(now.getTime() - 14 * 86_400_000);
  const q = <T>(sql: string, params: unknown[]) => em.execute<T[]>(sql, params);

  const history = await q<{
    property_id: number;
    last_at: string | Date;
    recent: string;
    previous: string;
    calls: string;
  }>(
    `select property_id, max(created_at) as last_at,
            count(*) filter (where created_at >= ?) as recent,
            count(*) filter (where created_at >= ? and created_at < ?) as previous,
            count(*) filter (where tool_name in (${callToolNames.map(() => '?').join(',') || "''"})) as calls
       from conversation_history where agent_id = ? and property_id in (${inIds}) group by property_id`,
    [weekAgo, twoWeeksAgo, weekAgo, ...callToolNames, agentId, ...ids],
  );
  for (const r of history) {
    const id = Number(r.property_id);
    empty.lastActivity.set(id, new Date(r.last_at));
    empty.historyLast7Days.set(id, Number(r.recent));
    empty.historyPrevious7Days.set(id, Number(r.previous));
    if (Number(r.calls) > 0) empty.callTools.add(id);
  }

  const contracts = await q<{
    property_id: number;
    name: string;
    is_required: boolean;
    status: ContractStatus;
    required_by_date: string | Date | null;
    created_at: string | Date;
  }>(
    `select property_id, name, is_required, status, required_by_date, created_at from contracts
      where agent_id = ? and property_id in (${inIds}) order by id`,
    [agentId, ...ids],
  );
  for (const [id, rows] of group(contracts, (r) => Number(r.property_id))) {
    empty.contracts.set(
      id,
      rows.map((r) => ({
        name: r.name,
        required: !!r.is_required,
        status: r.status,
        requiredByDate: r.required_by_date ? new Date(r.required_by_date) : null,
        createdAt: new Date(r.created_at),
      })),
    );
  }

  const contacts = await q<{ property_id: number; name: string; role: ContactRole; phone: string | null }>(
    `select property_id, name, role, phone from contacts where agent_id = ? and property_id in (${inIds}) order by id`,
    [agentId, ...ids],
  );
  for (const [id, rows] of group(contacts, (r) => Number(r.property_id))) {
    empty.contacts.set(
      id,
      rows.map((r) => ({ name: r.name, role: r.role, phone: r.phone })),
    );
  }

  const traces = await q<{ property_id: number; owner_name: string | null; phones: unknown; emails: unknown }>(
    `select distinct on (property_id) property_id, owner_name, phones, emails from skip_traces
      where agent_id = ? and property_id in (${inIds}) order by property_id, created_at desc, id desc`,
    [agentId, ...ids],
  );
  const parse = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
  for (const r of traces) {
    const phones = (parse<{ number: string }[] | null>(r.phones) ?? []).map((p) => p.number);
    empty.skipTraces.set(Number(r.property_id), {
      ownerName: r.owner_name,
      phones,
      emails: parse<string[] | null>(r.emails) ?? [],
    });
  }

  const enrichments = await q<{
    property_id: number;
    zestimate: number | null;
    rent_zestimate: number | null;
    days_on_market: number | null;
    school_rating: number | null;
    tax_assessed_value: number | null;
    price_history: unknown;
  }>(
    `select distinct on (property_id) property_id, zestimate, rent_zestimate, days_on_market, school_rating,
            tax_assessed_value, price_history
       from property_enrichments where agent_id = ? and property_id in (${inIds})
      order by property_id, created_at desc, id desc`,
    [agentId, ...ids],
  );
  const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  for (const r of enrichments) {
    empty.enrichments.set(Number(r.property_id), {
      zestimate: num(r.zestimate),
      rentZestimate: num(r.rent_zestimate),
      daysOnMarket: num(r.days_on_market),
      schoolRating: num(r.school_rating),
      taxAssessedValue: num(r.tax_assessed_value),
      priceHistory: parse<{ date: string; price: number; event: string }[] | null>(r.price_history) ?? [],
    });
  }

  const notes = await q<{ property_id: number; n: string }>(
    `select property_id, count(*) as n from property_notes where agent_id = ? and property_id in (${inIds}) group by property_id`,
    [agentId, ...ids],
  );
  for (const r of notes) empty.notes.set(Number(r.property_id), Number(r.n));

  const tasks = await q<{
    property_id: number;
    action: string;
    task_type: string;
    status: string;
    scheduled_at: string | Date;
    title: string;
  }>(
    `select property_id, action, task_type, status, scheduled_at, title from scheduled_tasks
      where agent_id = ? and property_id in (${inIds}) and status in ('pending', 'running')`,
    [agentId, ...ids],
  );
  for (const t of tasks) {
    const id = Number(t.property_id);
    const at = new Date(t.scheduled_at);
    if (t.action === 'snooze_follow_up') {
      if (t.status === 'pending' && at > now && (!empty.snoozedUntil.get(id) || at > empty.snoozedUntil.get(id)!)) {
        empty.snoozedUntil.set(id, at);
      }
      continue;
    }
    empty.activeTasks.set(id, (empty.activeTasks.get(id) ?? 0) + 1);
    if (t.task_type === 'follow_up' && t.status === 'pending' && at <= now && !empty.overdueFollowUps.has(id)) {
      empty.overdueFollowUps.set(id, t.title);
    }
  }

  const notifications = await q<{ property_id: number; n: string }>(
    `select property_id, count(*) as n from notifications
      where agent_id = ? and property_id in (${inIds}) and created_at >= ? group by property_id`,
    [agentId, ...ids, weekAgo],
  );
  for (const r of notifications) empty.notificationsLast7Days.set(Number(r.property_id), Number(r.n));
  return empty;
}
