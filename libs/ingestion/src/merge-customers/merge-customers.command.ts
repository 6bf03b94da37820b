import { Command } from '@nestjs/cqrs';
import type { MergeSides } from '@crm/domain';
import type { MergeOutcome } from '../customers/customer-repository';
import type { RecordingOptions } from '../shared/recording-options';

export class MergeCustomersCommand extends Command<MergeOutcome> {
  constructor(
    readonly sides: MergeSides,
    readonly options: RecordingOptions,
  ) {
    super();
  }
}
