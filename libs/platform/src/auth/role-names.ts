/**
 * What an API key may do. A key holds one or more roles; a route names the
 * roles any one of which lets a caller in.
 * - `ingest`: write touchpoints and customers.
 * - `read`: read projections (journey, scores, segments, KPIs).
 * - `analyst`: replay and export history, time travel, what-if.
 * - `admin`: projection admin, dead letters, streams, erasure, subject export.
 *
 * Apart from the route decorators (roles.ts), so that the key store and
 * `crm keys` load no Nest.
 */
export const ROLES = ['ingest', 'read', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];
