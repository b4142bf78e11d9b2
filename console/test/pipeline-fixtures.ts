/** API fixtures of the pipeline pages' tests (shapes as the server's views). */
import { mockApi, type MockRoute } from './fetch-mock.ts';

export const STAGE_KEYS = ['new_property', 'enriched', 'researched', 'waiting_for_contracts', 'complete'];

export function property(id: number, address: string, status: string, health: string, days: number, extra = {}) {
  return {
    id,
    title: null,
    address,
    city: 'Austin',
    state: 'TX',
    zip_code: '78701',
    price: 350_000 + id * 1000,
    bedrooms: 3,
    bathrooms: 2,
    square_feet: 1800,
    lot_size: null,
    year_built: 1998,
    property_type: 'house',
    status,
    deal_type: 'traditional',
    deal_score: null,
    score_grade: null,
    stage_entered_at: '2025-01-01T00:00:00.000Z',
    heartbeat: {
      property_id: id,
      stage: status,
      stage_label: status,
      stage_index: STAGE_KEYS.indexOf(status),
      total_stages: 5,
      checklist: [
        { key: 'enriched', label: 'Zillow Enrichment', done: true },
        { key: 'researched', label: 'Skip Trace', done: false },
      ],
      health,
      health_reason: `${health} reason for ${address}`,
      days_in_stage: days,
      stale_threshold_days: 7,
      days_since_activity: 2,
      next_action: 'Run a skip trace to find the owner',
    },
    ...extra,
  };
}

const PROPERTIES = [
  property(1, '12 Elm St', 'researched', 'stale', 8.5),
  property(2, '5 Oak Ave', 'waiting_for_contracts', 'blocked', 12),
  property(3, '77 Pine Rd', 'new_property', 'healthy', 1),
  property(4, '9 Birch Ln', 'researched', 'healthy', 2),
];

function followUp(id: number, address: string, rank: number) {
  return {
    rank,
    property_id: id,
    address,
    status: 'researched',
    priority: 'urgent',
    score: 120,
    reasons: [`Skip trace done, no outreach yet at ${address}`],
    suggested_action: 'Call the property owner',
    contact: { name: 'Olive Owner', phone: '+15125550147', role: 'owner' },
    days_since_activity: 6,
  };
}

function notification(id: number, title: string, isRead: boolean) {
  return {
    id,
    type: 'follow_up_due',
    priority: 'high',
    title,
    message: `${title} message`,
    property_id: 1,
    is_read: isRead,
    created_at: '2025-03-01T15:00:00.000Z',
  };
}

const DIGEST = {
  date: '2025-03-02',
  portfolio: {
    active_properties: 3,
    by_stage: { new_property: 1, enriched: 0, researched: 2, waiting_for_contracts: 1, complete: 0 },
    active_listing_value: 1_060_000,
    new_last_24h: 1,
  },
  alerts: [{ severity: 'high', property_id: 2, address: '5 Oak Ave', message: '5 Oak Ave: Waiting 12 days.' }],
  contracts: { required: 4, completed: 1, out_for_signature: 2, deadlines_within_3_days: 1 },
  activity_last_24h: { actions: 5, by_tool: {}, notes: 2, offers: 1 },
  recommendations: [{ property_id: 1, address: '12 Elm St', action: 'Call the property owner', priority: 'urgent' }],
  text: 'briefing',
  voice_summary: 'You have 3 active properties and 1 item needing attention.',
  source: 'rules',
};

/** The board's API: the property list by stage, and stateful follow-ups and notifications. */
export function boardApi() {
  let queue = [followUp(1, '12 Elm St', 1), followUp(2, '5 Oak Ave', 2)];
  let notes = [notification(10, 'Call Olive back', false), notification(11, 'Contract signed', true)];
  const routes: MockRoute[] = [
    {
      path: /^\/api\/properties\?/,
      respond: (_b, url) => {
        const q = new URLSearchParams(url.split('?')[1]);
        const items = PROPERTIES.filter((p) => p.status === q.get('status'));
        return { body: { items, total: items.length, limit: 100, offset: 0 } };
      },
    },
    { path: '/api/follow-ups?limit=10', respond: () => ({ body: { items: queue, total: queue.length } }) },
    {
      method: 'POST',
      path: /^\/api\/follow-ups\/\d+\/(snooze|complete)$/,
      respond: (_b, url) => {
        const id = Number(url.split('/')[3]);
        queue = queue.filter((i) => i.property_id !== id).map((i, n) => ({ ...i, rank: n + 1 }));
        return { body: {} };
      },
    },
    { path: '/api/notifications?limit=20', respond: () => ({ body: notes }) },
    {
      method: 'POST',
      path: '/api/notifications/read',
      respond: () => {
        notes = notes.map((n) => ({ ...n, is_read: true }));
        return { body: { marked: 1 } };
      },
    },
    {
      method: 'POST',
      path: /^\/api\/notifications\/\d+\/dismiss$/,
      respond: (_b, url) => {
        notes = notes.filter((n) => n.id !== Number(url.split('/')[3]));
        return { body: {} };
      },
    },
    { path: '/api/digest', body: DIGEST },
  ];
  return mockApi(routes);
}

const comp = (id: string, distance_mi: number, price: number, adjusted_price: number, similarity: number) => ({
  id,
  distance_mi,
  sale_date: id.split('@')[1],
  price,
  adjusted_price,
  similarity,
  weight: 0.3,
});

const OFFER = {
  id: 31,
  property_id: 7,
  buyer_contact_id: 3,
  parent_offer_id: null,
  offer_price: 440_000,
  status: 'countered',
  is_our_offer: false,
  submitted_at: '2025-02-20T17:00:00.000Z',
  expires_at: null,
  responded_at: null,
  created_at: '2025-02-20T17:00:00.000Z',
};

const VALUATION = {
  estimate: 450_000,
  low: 420_000,
  high: 480_000,
  confidence: 0.72,
  confidence_label: 'high',
  comps: [
    comp('1001@2024-11-02', 0.35, 430_000, 445_000, 0.81),
    comp('1002@2024-12-15', 1.2, 470_000, 455_000, 0.64),
    comp('1003@2025-01-09', 2.05, 410_000, 440_000, 0.55),
  ],
  market: { count: 812, median_price: 455_000, median_ppsf: 250, trend: 'appreciating', subject_vs_market: 'at' },
  limited_data: false,
  sales_market: 'austin',
  as_of: '2025-03-01',
  assumed: ['lot_size'],
  voice_summary: '…',
};

export function propertyApi(valuation: Partial<MockRoute> = { body: VALUATION }) {
  return mockApi([
    { path: '/api/properties/7', body: property(7, '101 Main St', 'waiting_for_contracts', 'blocked', 12.5) },
    {
      path: '/api/properties/7/contracts/readiness',
      body: {
        property_id: 7,
        is_ready_to_close: false,
        total_contracts: 1,
        required_contracts: 1,
        completed_contracts: 0,
        missing_contracts: 1,
        missing_templates: ['Seller Disclosure Notice'],
        in_progress_contracts: 1,
        status_breakdown: [],
        next_steps: ['Follow up with Bea Buyer on Purchase Agreement', 'Attach missing Seller Disclosure Notice'],
        voice_summary: '…',
      },
    },
    {
      path: '/api/properties/7/contracts',
      body: [
        {
          id: 51,
          name: 'Purchase Agreement',
          status: 'pending_signature',
          is_required: true,
          required_by_date: null,
          signers: [{ id: 1, name: 'Bea Buyer', status: 'opened' }],
        },
      ],
    },
    { path: '/api/properties/7/offers', body: [OFFER] },
    { path: '/api/properties/7/contacts', body: [{ id: 3, name: 'Bea Buyer', role: 'buyer' }] },
    { path: '/api/properties/7/valuation', ...valuation },
    {
      path: '/api/properties/7/closing-prediction',
      body: {
        closing_probability: 0.62,
        confidence: 'medium',
        days_to_close: 20,
        risk_level: 'medium',
        strengths: ['An active offer is in negotiation'],
        risk_factors: ['Missing market data'],
        recommended_actions: [],
      },
    },
  ]);
}
