import { SetMetadata } from '@nestjs/common';

/**
 * What an API key may do. A key holds one or more roles; a route names the
 * roles any one of which lets a caller in.
 * - `ingest`: write touchpoints and customers.
 * - `read`: read projections (journey, scores, segments, KPIs).
 * - `analyst`: replay and export history, time travel, what-if.
 * - `admin`: projection admin, dead letters, streams, erasure, subject export.
 */
export const ROLES = ['ingest', 'read', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLES_METADATA = 'crm:roles';
export const PUBLIC_METADATA = 'crm:public';

/** The route needs a key holding at least one of these roles. */
export const RequireRoles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_METADATA, roles);

/** The route needs no key (liveness, readiness, metrics, OpenAPI). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_METADATA, true);
