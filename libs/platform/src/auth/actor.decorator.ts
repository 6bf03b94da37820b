import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** The actor of a request without a principal (a public route); guarded routes always have one. */
export const ANONYMOUS_ACTOR = 'anonymous';

/** The id of the API key that made the request, for event metadata `actor`: the key, never its secret. */
export function actorOf(request: Pick<FastifyRequest, 'principal'>): string {
  return request.principal?.keyId ?? ANONYMOUS_ACTOR;
}

/** Injects `actorOf(request)`: who recorded the event, passed explicitly down to the domain. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  actorOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
