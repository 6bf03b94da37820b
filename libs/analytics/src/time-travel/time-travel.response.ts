import { ApiProperty } from '@nestjs/swagger';
import { JourneyViewResponse, KpiReportResponse, ScoresViewResponse } from '@crm/read-api';

/** What the answer was computed from: the log up to `position`, events with occurredAt < asOf. */
export type HistoryMeta = { readonly asOf: string; readonly source: 'history' };

class HistoryMetaResponse implements HistoryMeta {
  @ApiProperty({ format: 'date-time', description: 'Events with occurredAt < asOf counted' }) asOf!: string;
  @ApiProperty({ enum: ['history'] }) source!: 'history';
}

export class HistoricJourneyResponse extends JourneyViewResponse {
  @ApiProperty({ type: HistoryMetaResponse }) meta!: HistoryMetaResponse;
}

export class HistoricScoresResponse extends ScoresViewResponse {
  @ApiProperty({ type: HistoryMetaResponse }) meta!: HistoryMetaResponse;
}

export class HistoricKpisResponse extends KpiReportResponse {
  @ApiProperty({ type: HistoryMetaResponse }) meta!: HistoryMetaResponse;
}
