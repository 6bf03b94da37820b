import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '@crm/platform';

/** Where the console answers: `/console` and every path under it. */
export const CONSOLE_PREFIX = '/console';

/** Where `npm run build` writes the console (dist/console, beside dist/apps). */
export const BUILT_CONSOLE_DIR = join(__dirname, '..', '..', '..', '..', 'console');

/**
 * The console's files may load only what they came with: no other origin,
 * no inline script or style, no framing. The API it calls is the same origin.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT: ErrorBody = {
  statusCode: 404,
  code: 'CONSOLE.NOT_BUILT',
  message: 'The console is not built: `npm run build` (which `npm start` runs) writes it',
  details: [],
};

/** Every file under `dir`, as paths relative to it with forward slashes. */
function filesUnder(dir: string): Set<string> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  return new Set(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/')),
  );
}

/** The path under the prefix, without query: `''` for `/console` and `/console/`. */
function pathUnderPrefix(request: FastifyRequest): string {
  const path = (request.url.split('?', 1)[0] ?? '').slice(CONSOLE_PREFIX.length);
  try {
    return decodeURIComponent(path.replace(/^\/+/, ''));
  } catch {
    return path;
  }
}

/**
 * Serves the built single-page console under /console: its files as they
 * are (hashed assets cached for good, index.html revalidated), and
 * index.html for any other path under it (the console's own routes, a deep
 * link or a reload). A missing file (a path whose last segment has an
 * extension) is the API's usual 404. The file list is read once at boot:
 * only files of the build are ever served.
 */
export function serveConsole(fastify: FastifyInstance, dir: string = BUILT_CONSOLE_DIR): void {
  if (!existsSync(join(dir, 'index.html'))) {
    const notBuilt = (_request: FastifyRequest, reply: FastifyReply) => reply.code(404).send(NOT_BUILT);
    fastify.get(CONSOLE_PREFIX, notBuilt);
    fastify.get(`${CONSOLE_PREFIX}/*`, notBuilt);
    return;
  }
  const files = filesUnder(dir);
  void fastify.register(fastifyStatic, { root: dir, serve: false });

  const send = (request: FastifyRequest, reply: FastifyReply): FastifyReply | Promise<FastifyReply> => {
    const path = pathUnderPrefix(request);
    void reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
    if (files.has(path) && path !== 'index.html') {
      const hashed = path.startsWith('assets/');
      return reply.sendFile(path, { maxAge: hashed ? '365d' : 0, immutable: hashed });
    }
    const lastSegment = path.split('/').pop() ?? '';
    if (lastSegment.includes('.')) {
      reply.callNotFound();
      return reply;
    }
    void reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  };
  fastify.get(CONSOLE_PREFIX, send);
  fastify.get(`${CONSOLE_PREFIX}/*`, send);
}
