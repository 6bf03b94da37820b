import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crm/platform';
import { BLIND_INDEX_KEY } from '../identity-index/blind-index';
import { customerProjections } from '../runner/customer-projections';

/** DI token: the projections this process runs or reads (the customer projections unless a test injects others). */
export const PROJECTIONS = Symbol('PROJECTIONS');

/**
 * DI token: where a projection worker thread loads the same projections (a ProjectionSource)
 * from (null: the customer projections). A test that overrides PROJECTIONS
 * and runs them in the worker overrides this too.
 */
export const PROJECTION_SOURCE = Symbol('PROJECTION_SOURCE');

/**
 * The projections, with the configured churn and attribution windows and blind index key:
 * one provider for the runtime and for a transport's consumers alike, so a
 * test that overrides PROJECTIONS changes both. Needs APP_CONFIG and
 * BLIND_INDEX_KEY (privacyProviders) from the core module.
 */
@Module({
  providers: [
    {
      provide: PROJECTIONS,
      inject: [APP_CONFIG, { token: BLIND_INDEX_KEY, optional: true }],
      useFactory: (config: AppConfig, blindIndexKey?: Uint8Array) =>
        customerProjections(
          config.projections.churnWindowDays,
          blindIndexKey ?? null,
          config.projections.attributionWindowDays,
        ),
    },
    { provide: PROJECTION_SOURCE, useValue: null },
  ],
  exports: [PROJECTIONS, PROJECTION_SOURCE],
})
export class ProjectionCatalogModule {}
