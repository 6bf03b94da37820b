import type { Role } from '@crm/platform';
import { meeting } from './touchpoints';

/** A route behind an API key, with a request that reaches its handler when the key is right. */
export type ProtectedRoute = {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
  /** Any one of these roles opens the route. */
  readonly roles: readonly Role[];
};

/** The customer the table's requests name; the suite registers it first. */
export const GUARDED_CUSTOMER = 'ac-ada';

/**
 * Every route that needs a key, with the roles that open it (the table of
 * docs/access-and-observability.md). Add a route here and the access-control
 * suite checks its 401s and 403s.
 */
export const PROTECTED_ROUTES: readonly ProtectedRoute[] = [
  // Which key is this: any key may ask (the console shows only what its roles open).
  { method: 'GET', url: '/auth/key', roles: ['ingest', 'read', 'analyst', 'admin'] },
  { method: 'POST', url: '/customers', body: { kind: 'person', name: 'Bo' }, roles: ['ingest'] },
  {
    method: 'POST',
    url: `/customers/${GUARDED_CUSTOMER}/touchpoints`,
    body: meeting(),
    roles: ['ingest'],
  },
  {
    method: 'POST',
    url: '/touchpoints/batch',
    body: { items: [meeting({ customerId: GUARDED_CUSTOMER })] },
    roles: ['ingest'],
  },
  // A merge of a customer nobody registered: the handler answers 404 and nothing is written.
  {
    method: 'POST',
    url: `/customers/${GUARDED_CUSTOMER}/merge`,
    body: { mergedId: 'ac-nobody' },
    roles: ['ingest'],
  },
  // Follow-ups: the reassign, complete and cancel of a follow-up nobody scheduled answer 422, writing nothing.
  {
    method: 'POST',
    url: `/customers/${GUARDED_CUSTOMER}/follow-ups`,
    body: { assignee: 'ac-agent', dueAt: '2026-01-01T00:00:00Z', reason: 'Call back' },
    roles: ['ingest'],
  },
  {
    method: 'POST',
    url: `/customers/${GUARDED_CUSTOMER}/follow-ups/ac-none/reassign`,
    body: { assignee: 'ac-other' },
    roles: ['ingest'],
  },
  {
    method: 'POST',
    url: `/customers/${GUARDED_CUSTOMER}/follow-ups/ac-none/complete`,
    body: { outcome: 'Done' },
    roles: ['ingest'],
  },
  {
    method: 'POST',
    url: `/customers/${GUARDED_CUSTOMER}/follow-ups/ac-none/cancel`,
    body: {},
    roles: ['ingest'],
  },
  { method: 'GET', url: '/follow-ups?assignee=ac-agent&status=overdue', roles: ['read'] },
  { method: 'GET', url: `/customers/${GUARDED_CUSTOMER}`, roles: ['read'] },
  { method: 'GET', url: `/customers/${GUARDED_CUSTOMER}/events`, roles: ['read'] },
  { method: 'GET', url: `/customers/${GUARDED_CUSTOMER}/duplicates`, roles: ['read'] },
  { method: 'GET', url: `/customers/${GUARDED_CUSTOMER}/journey`, roles: ['read'] },
  { method: 'GET', url: `/customers/${GUARDED_CUSTOMER}/scores`, roles: ['read'] },
  { method: 'GET', url: '/customers?limit=10', roles: ['read'] },
  { method: 'GET', url: '/kpis?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z', roles: ['read'] },
  { method: 'GET', url: '/campaigns?sort=conversionRate', roles: ['read'] },
  // A campaign nobody interacted with: the handler answers 404.
  { method: 'GET', url: '/campaigns/ac-spring?from=2026-01-01T00:00:00Z', roles: ['read'] },
  { method: 'GET', url: '/campaigns/ac-spring/audience?format=csv', roles: ['read'] },
  // Privacy: subject export, erasure (of a customer nobody registered: the handler answers 404), key rotation.
  { method: 'GET', url: `/customers/${GUARDED_CUSTOMER}/export`, roles: ['admin'] },
  { method: 'POST', url: '/admin/customers/ac-nobody/erase', body: {}, roles: ['admin'] },
  { method: 'POST', url: '/admin/keys/rotate', roles: ['admin'] },
  // Projection admin (a rebuild the table starts is harmless: blue-green, reads stay up).
  { method: 'GET', url: '/admin/projections', roles: ['admin'] },
  { method: 'POST', url: '/admin/projections/idic-scores/pause', roles: ['admin'] },
  { method: 'POST', url: '/admin/projections/idic-scores/resume', roles: ['admin'] },
  { method: 'POST', url: '/admin/projections/payne-frow-kpis/rebuild', roles: ['admin'] },
  { method: 'GET', url: '/admin/dead-letters?status=open', roles: ['admin'] },
  { method: 'POST', url: '/admin/dead-letters/none:none/retry', roles: ['admin'] },
  { method: 'POST', url: '/admin/dead-letters/none:none/skip', roles: ['admin'] },
  { method: 'GET', url: `/admin/streams/customer-${GUARDED_CUSTOMER}`, roles: ['admin'] },
  // Webhooks: a subscription the table creates targets a loopback port nobody serves; the others
  // name one that does not exist (the handlers answer 404).
  { method: 'POST', url: '/admin/webhooks', body: { url: 'http://127.0.0.1:9/ac' }, roles: ['admin'] },
  { method: 'GET', url: '/admin/webhooks', roles: ['admin'] },
  { method: 'GET', url: '/admin/webhooks/none', roles: ['admin'] },
  { method: 'POST', url: '/admin/webhooks/none/pause', roles: ['admin'] },
  { method: 'POST', url: '/admin/webhooks/none/resume', roles: ['admin'] },
  { method: 'DELETE', url: '/admin/webhooks/none', roles: ['admin'] },
  { method: 'GET', url: '/admin/webhooks/none/deliveries', roles: ['admin'] },
  { method: 'POST', url: '/admin/webhooks/none/deliveries/none/retry', roles: ['admin'] },
  { method: 'POST', url: '/admin/webhooks/none/deliveries/none/skip', roles: ['admin'] },
  // Automations: the names and letters that do not exist answer 404 past the guard.
  { method: 'GET', url: '/admin/automations', roles: ['admin'] },
  { method: 'POST', url: '/admin/automations/none/pause', roles: ['admin'] },
  { method: 'POST', url: '/admin/automations/none/resume', roles: ['admin'] },
  { method: 'GET', url: '/admin/automations/dead-letters?status=open', roles: ['admin'] },
  { method: 'POST', url: '/admin/automations/dead-letters/none/retry', roles: ['admin'] },
  { method: 'POST', url: '/admin/automations/dead-letters/none/skip', roles: ['admin'] },
  // Analysts: replay, time travel, what-if.
  { method: 'GET', url: '/events?limit=5', roles: ['analyst'] },
  // A filter the live feed refuses: past the guard it answers 400 at once instead of streaming forever.
  { method: 'GET', url: '/events/stream?limit=5', roles: ['analyst'] },
  { method: 'GET', url: '/customers/changes/stream?limit=5', roles: ['read'] },
  {
    method: 'GET',
    url: `/analytics/customers/${GUARDED_CUSTOMER}/journey?asOf=2026-01-01T00:00:00Z`,
    roles: ['analyst'],
  },
  {
    method: 'GET',
    url: `/analytics/customers/${GUARDED_CUSTOMER}/scores?asOf=2026-01-01T00:00:00Z`,
    roles: ['analyst'],
  },
  {
    method: 'GET',
    url: '/analytics/kpis?asOf=2026-01-01T00:00:00Z&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    roles: ['analyst'],
  },
  { method: 'POST', url: '/analytics/what-if', body: {}, roles: ['analyst'] },
  // Portfolio analysis.
  { method: 'GET', url: '/analytics/cohorts?from=2025-01&to=2025-02', roles: ['analyst'] },
  // Nobody purchased before 1990: past the guard it answers 422 at once, without a fit.
  {
    method: 'POST',
    url: '/analytics/predicted-value/fit',
    body: { calibrationEnd: '1990-01-01T00:00:00Z' },
    roles: ['analyst'],
  },
  { method: 'GET', url: '/analytics/predicted-value/fits/latest', roles: ['analyst'] },
];

/** Routes anyone may call without a key. */
export const PUBLIC_ROUTES: readonly string[] = ['/health/live', '/health/ready', '/metrics', '/docs/json'];
