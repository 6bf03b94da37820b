import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';

/**
 * The HTTP ceiling of the ingest bench: a bare Fastify server in its own
 * process, on loopback like the API, with one route shaped like
 * `POST /customers/:customerId/touchpoints` that parses the JSON body and
 * answers 201 with a body like the API's (customerId, eventId, type,
 * streamRevision, globalPosition). No Nest, no auth, no store: what HTTP
 * alone costs on this machine. Listens on PORT; `GET /ready` answers once up.
 */
async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('usage: PORT=<port> http-ceiling.child');
  const server = Fastify({ logger: false });
  let position = 0;
  server.get('/ready', () => ({ ready: true }));
  server.post<{ Params: { customerId: string }; Body: { type?: unknown; eventId?: unknown } }>(
    '/customers/:customerId/touchpoints',
    async (request, reply) => {
      const { type, eventId } = request.body;
      position += 1;
      return reply.code(201).send({
        customerId: request.params.customerId,
        eventId: typeof eventId === 'string' ? eventId : randomUUID(),
        type: typeof type === 'string' ? type : 'unknown',
        streamRevision: position % 1000,
        globalPosition: position,
      });
    },
  );
  await server.listen({ port, host: '127.0.0.1' });
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
