import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, RequireRoles } from '@crm/platform';
import { projectionNotFound, ProjectionRuntime } from '@crm/projections/runtime';
import { type ProjectionOverview, ProjectionOverviews } from './projection-overview';
import { ProjectionOverviewResponse, ProjectionsOverviewResponse } from './projection-overview.response';

const NAME = ApiParam({
  name: 'name',
  description: 'e.g. customer-journey (GET /admin/projections lists them)',
});

@ApiTags('admin')
@RequireRoles('admin')
@Controller('admin/projections')
export class ProjectionAdminController {
  constructor(
    private readonly runtime: ProjectionRuntime,
    private readonly overviews: ProjectionOverviews,
  ) {}

  @Get()
  @ApiOkResponse({
    type: ProjectionsOverviewResponse,
    description:
      'Per projection: version, state, checkpoint, head, lag, rate, errors, rebuild; ' +
      'the transport, with Kafka per partition: position applied, lag in events and seconds',
  })
  async list(): Promise<ProjectionsOverviewResponse> {
    return { projections: await this.overviews.all(), transport: this.overviews.transport() };
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiErrorResponses(404, 409)
  @NAME
  @ApiAcceptedResponse({
    type: ProjectionOverviewResponse,
    description: 'The next version is being built beside the live one',
  })
  async rebuild(@Param('name') name: string): Promise<ProjectionOverview> {
    await this.runtime.rebuild(name);
    return this.describe(name);
  }

  @Post(':name/pause')
  @HttpCode(200)
  @ApiErrorResponses(404)
  @NAME
  @ApiOkResponse({
    type: ProjectionOverviewResponse,
    description: 'The projection stops applying events; reads keep answering',
  })
  async pause(@Param('name') name: string): Promise<ProjectionOverview> {
    this.runtime.pause(name);
    return this.describe(name);
  }

  @Post(':name/resume')
  @HttpCode(200)
  @ApiErrorResponses(404)
  @NAME
  @ApiOkResponse({
    type: ProjectionOverviewResponse,
    description: 'The projection catches up from its checkpoint',
  })
  async resume(@Param('name') name: string): Promise<ProjectionOverview> {
    this.runtime.resume(name);
    return this.describe(name);
  }

  private async describe(name: string): Promise<ProjectionOverview> {
    const overview = await this.overviews.one(name);
    if (!overview) throw projectionNotFound(name);
    return overview;
  }
}
