import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiError } from './api-error';
import { toErrorBody } from './error-translation';

/** Renders every error as `{ statusCode, code, message, details }`. */
@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const body = toErrorBody(error);
    // Our own 5xx (e.g. PROJECTION.NOT_CAUGHT_UP) are expected answers; anything else is a fault to look at.
    if (body.statusCode >= 500 && !(error instanceof ApiError)) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof ApiError) void reply.headers(error.headers);
    void reply.status(body.statusCode).send(body);
  }
}
