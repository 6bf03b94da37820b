import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  MethodNotAllowedException,
  NotFoundException,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig, Metrics, ReadinessChecks, toErrorBody } from '@crm/platform';

/**
 * Health and metrics of a process without the API (`relay`, `projector`),
 * over HTTP on HOST:PORT so that an orchestrator can probe it and Prometheus
 * scrape it: `GET /health/live`, `GET /health/ready` (200, or 503 naming the
 * failing check) and `GET /metrics`, the same answers as the API's routes.
 * Nothing else is served, so this is a plain server rather than the Nest
 * HTTP adapter: no route of the API can be exposed here without its access
 * control.
 */
@Injectable()
export class WorkerProbes implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WorkerProbes');
  private server: Server | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  /** Where the probes listen once the worker has booted (the port chosen when PORT=0). */
  address(): { host: string; port: number } | null {
    const address = this.server?.address();
    return address && typeof address === 'object' ? { host: this.config.host, port: address.port } : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => {
      this.answer(request, response).catch((error: unknown) => {
        this.logger.error(`probe failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!response.headersSent) sendError(response, error);
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.port, this.config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.logger.log(`health and metrics on http://${this.config.host}:${this.address()?.port}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    const json = 'application/json; charset=utf-8';
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return sendError(response, new MethodNotAllowedException());
    }
    switch (path) {
      case '/health/live':
        return send(response, 200, json, JSON.stringify({ status: 'up' }));
      case '/health/ready': {
        const report = await this.checks.run();
        return send(response, report.status === 'up' ? 200 : 503, json, JSON.stringify(report));
      }
      case '/metrics':
        return send(response, 200, this.metrics.contentType, await this.metrics.render());
      default:
        return sendError(response, new NotFoundException(`Cannot ${request.method} ${path}`));
    }
  }
}

/** Errors in the API's shape: `{ statusCode, code, message, details }`. */
function sendError(response: ServerResponse, error: unknown): void {
  const body = toErrorBody(error);
  send(response, body.statusCode, 'application/json; charset=utf-8', JSON.stringify(body));
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}
