import { type DynamicModule, Module } from '@nestjs/common';
import { IngestionModule } from '@crm/ingestion';
import { ReadApiModule } from '@crm/read-api';
import { type AppConfig, AuthModule, ObservabilityModule } from '@crm/platform';
import { CoreModule } from './core.module';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        ObservabilityModule,
        AuthModule.forRoot(config),
        IngestionModule,
        ReadApiModule,
      ],
    };
  }
}
