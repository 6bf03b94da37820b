import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomerRepository } from './customers/customer-repository';
import { ReadCustomerEventsController } from './read-customer-events/read-customer-events.controller';
import { ReadCustomerEventsHandler } from './read-customer-events/read-customer-events.handler';
import { RecordTouchpointBatchController } from './record-touchpoint-batch/record-touchpoint-batch.controller';
import { RecordTouchpointBatchHandler } from './record-touchpoint-batch/record-touchpoint-batch.handler';
import { RecordTouchpointController } from './record-touchpoint/record-touchpoint.controller';
import { RecordTouchpointHandler } from './record-touchpoint/record-touchpoint.handler';
import { TouchpointRequestParser } from './record-touchpoint/touchpoint-request.parser';
import { RegisterCustomerController } from './register-customer/register-customer.controller';
import { RegisterCustomerHandler } from './register-customer/register-customer.handler';
import { EventBuilder } from './shared/event-builder';
import { ChangeConsentController } from './change-consent/change-consent.controller';
import { ChangeConsentHandler } from './change-consent/change-consent.handler';
import { UpdateCustomerProfileController } from './update-customer-profile/update-customer-profile.controller';
import { UpdateCustomerProfileHandler } from './update-customer-profile/update-customer-profile.handler';
import { MergeCustomersController } from './merge-customers/merge-customers.controller';
import { MergeCustomersHandler } from './merge-customers/merge-customers.handler';
import { FollowUpWriter } from './follow-ups/follow-up-writer';
import { ManageFollowUpHandler } from './follow-ups/manage-follow-up.handler';
import { ScheduleFollowUpController } from './schedule-follow-up/schedule-follow-up.controller';
import { ReassignFollowUpController } from './reassign-follow-up/reassign-follow-up.controller';
import { CompleteFollowUpController } from './complete-follow-up/complete-follow-up.controller';
import { CancelFollowUpController } from './cancel-follow-up/cancel-follow-up.controller';

/**
 * Customers and touchpoints in: the write side. Needs APP_CONFIG, CLOCK and
 * EVENT_STORE from the application's core module.
 */
@Module({
  imports: [CqrsModule],
  controllers: [
    RegisterCustomerController,
    RecordTouchpointController,
    RecordTouchpointBatchController,
    UpdateCustomerProfileController,
    ChangeConsentController,
    MergeCustomersController,
    ReadCustomerEventsController,
    ScheduleFollowUpController,
    ReassignFollowUpController,
    CompleteFollowUpController,
    CancelFollowUpController,
  ],
  providers: [
    CustomerRepository,
    EventBuilder,
    TouchpointRequestParser,
    RegisterCustomerHandler,
    RecordTouchpointHandler,
    RecordTouchpointBatchHandler,
    UpdateCustomerProfileHandler,
    ChangeConsentHandler,
    MergeCustomersHandler,
    ReadCustomerEventsHandler,
    FollowUpWriter,
    ManageFollowUpHandler,
  ],
  // The one writer of customer streams, for features that record events of their own (erasure).
  exports: [CustomerRepository],
})
export class IngestionModule {}
