import { Module } from '@nestjs/common';
import { StreamEventsController } from './stream-events/stream-events.controller';

/**
 * The analyst's side: replay of the log, time travel and what-if scoring.
 * Needs APP_CONFIG, CLOCK, EVENT_STORE and READ_STORE from the core module.
 * Reads only: it never writes the live read models.
 */
@Module({
  controllers: [StreamEventsController],
})
export class AnalyticsModule {}
