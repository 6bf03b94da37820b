import { type DynamicModule, Module } from '@nestjs/common';
import { AnalyticsModule } from '@crm/analytics';
import { IngestionModule } from '@crm/ingestion';
import { ReadApiModule } from '@crm/read-api';
import type { AppConfig } from '@crm/platform';
import { CoreModule } from './core.module';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config), IngestionModule, ReadApiModule, AnalyticsModule],
    };
  }
}
