import { Module } from '@nestjs/common';
import { DeadLetterAdmin } from './dead-letters/dead-letter-admin';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { InspectStreamController } from './inspect-stream/inspect-stream.controller';
import { ProjectionAdminController } from './projections/projection-admin.controller';
import { ProjectionOverviews } from './projections/projection-overview';

/**
 * Operator routes (role `admin`): projection state, blue-green rebuild,
 * pause and resume, dead letters, stream inspection. Needs the core module's
 * stores and ProjectionRuntime and READ_POSITIONS from the global
 * ProjectionsModule (libs/projections/src/runtime).
 */
@Module({
  controllers: [ProjectionAdminController, DeadLettersController, InspectStreamController],
  providers: [ProjectionOverviews, DeadLetterAdmin],
})
export class AdminModule {}
