import { type DynamicModule, Module } from '@nestjs/common';
import { ProjectionCatalogModule } from './projection-catalog.module';
import { ProjectionObservability } from './projection-observability';
import { PROJECTION_WORKER, ProjectionRuntime, type ProjectionWorkerScript } from './projection-runtime';
import { READ_POSITIONS, type ReadPositions, TRANSPORT_READ_POSITIONS } from './read-positions';

/**
 * How projections run in a process, in one module: the projections, their
 * runtime (the runner on the store's log with the direct transport, in this
 * thread or in `worker`, blue-green rebuilds, pause and resume, the read
 * models as queries see them), their health and metrics, and READ_POSITIONS
 * for read-your-writes. A transport that feeds them otherwise (Kafka) comes
 * in as `transport`, a module that may provide TRANSPORT_READ_POSITIONS.
 *
 * Global: imported once by the application (after the core module, whose
 * APP_CONFIG, CLOCK, EVENT_STORE and READ_STORE it needs); the read routes,
 * the admin and the analyst's side inject what it exports.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(
    options: { readonly transport?: DynamicModule; readonly worker?: ProjectionWorkerScript | null } = {},
  ): DynamicModule {
    return {
      module: ProjectionsModule,
      global: true,
      imports: [ProjectionCatalogModule, ...(options.transport ? [options.transport] : [])],
      providers: [
        { provide: PROJECTION_WORKER, useValue: options.worker ?? null },
        ProjectionRuntime,
        ProjectionObservability,
        {
          provide: READ_POSITIONS,
          inject: [ProjectionRuntime, { token: TRANSPORT_READ_POSITIONS, optional: true }],
          useFactory: (runtime: ProjectionRuntime, transport?: ReadPositions): ReadPositions =>
            transport ?? runtime,
        },
      ],
      exports: [ProjectionCatalogModule, ProjectionRuntime, READ_POSITIONS],
    };
  }
}
