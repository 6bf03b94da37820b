import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/roles';
import { ReadinessChecks, type ReadinessReport } from './readiness';
import { LivenessResponse, ReadinessResponse } from './readiness.response';

/** For orchestrators and load balancers: public, no key (the server binds 127.0.0.1 unless told otherwise). */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(ReadinessChecks) private readonly checks: ReadinessChecks) {}

  /** The process is up and serving HTTP; says nothing about the engines. */
  @Get('live')
  @Header('cache-control', 'no-store')
  @ApiOkResponse({ type: LivenessResponse })
  live(): LivenessResponse {
    return { status: 'up' };
  }

  /** Every configured engine answers: 200 when all are up, 503 with the same body when one is not. */
  @Get('ready')
  @Header('cache-control', 'no-store')
  @ApiOkResponse({ type: ReadinessResponse, description: 'Every check is up' })
  @ApiServiceUnavailableResponse({
    type: ReadinessResponse,
    description: 'At least one check is down; each names its reason',
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessReport> {
    const report = await this.checks.run();
    void reply.status(report.status === 'up' ? 200 : 503);
    return report;
  }
}
