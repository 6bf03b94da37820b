import { Module } from '@nestjs/common';
import { IngestionModule } from '@crm/ingestion';
import { EraseCustomerController } from './erase-customer/erase-customer.controller';
import { EraseCustomerService } from './erase-customer/erase-customer.service';
import { ExportCustomerController } from './export-customer/export-customer.controller';
import { ProjectionRuntime } from '@crm/projections/runtime';
import { EXPORTED_READ_MODELS, ExportCustomerService } from './export-customer/export-customer.service';
import { RotateMasterKeyController } from './rotate-master-key/rotate-master-key.controller';

/**
 * Erasure, subject export and master key rotation. Needs APP_CONFIG, CLOCK,
 * EVENT_STORE, READ_STORE, KEY_STORE and DataKeys from the core module (see
 * privacyProviders), ProjectionRuntime and READ_POSITIONS from the projections
 * module (the active version of each read model), and records CustomerErased
 * through ingestion's repository.
 */
@Module({
  imports: [IngestionModule],
  controllers: [EraseCustomerController, ExportCustomerController, RotateMasterKeyController],
  providers: [
    EraseCustomerService,
    ExportCustomerService,
    {
      provide: EXPORTED_READ_MODELS,
      inject: [ProjectionRuntime],
      useFactory: (runtime: ProjectionRuntime) => runtime.readModels,
    },
  ],
})
export class PrivacyModule {}
