import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { BadRequestException, Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { isTouchpointType } from '@crm/domain';
import { TOUCHPOINT_DTOS, type TouchpointEnvelopeDto } from '@crm/ingestion';
import { validateDto } from '@crm/platform';

/**
 * The second ceiling of the ingest bench: the HTTP edge the architecture
 * fixes (Nest on Fastify, the touchpoint validated by the product's own
 * class-validator DTOs) with nothing behind it — no auth, no decision, no
 * encryption, no store. The bare Fastify route (http-ceiling.child) is what
 * HTTP costs; this is what the framework and the edge validation add to it.
 * Listens on PORT; `GET /ready` answers once up.
 */
@Controller()
class EdgeOnlyController {
  private position = 0;

  @Get('ready')
  ready(): { ready: boolean } {
    return { ready: true };
  }

  @Post('customers/:customerId/touchpoints')
  @HttpCode(201)
  record(@Param('customerId') customerId: string, @Body() body: unknown): Record<string, unknown> {
    const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
    if (typeof type !== 'string' || !isTouchpointType(type))
      throw new BadRequestException('not a touchpoint');
    const validated = validateDto<TouchpointEnvelopeDto>(TOUCHPOINT_DTOS[type], body);
    if (!validated.ok) throw new BadRequestException(validated.details);
    const eventId = (validated.value as { eventId?: unknown }).eventId;
    this.position += 1;
    return {
      customerId,
      eventId: typeof eventId === 'string' ? eventId : randomUUID(),
      type,
      streamRevision: this.position % 1000,
      globalPosition: this.position,
    };
  }
}

@Module({ controllers: [EdgeOnlyController] })
class EdgeOnlyModule {}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0)
    throw new Error('usage: PORT=<port> http-framework-ceiling.child');
  const app = await NestFactory.create<NestFastifyApplication>(EdgeOnlyModule, new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(port, '127.0.0.1');
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
