import type { KpiTermSink } from './aggregates/kpi-term-sink';
import type { InstantRange } from './facts/fact-chronology';
import type { KpiFactsDocument } from './facts/kpi-facts.document';

/**
 * The OpenAPI 3.0 schema of a figure, as plain data: the read API turns the
 * registry into its response schema, so the pure KPI code names no Nest type.
 */
export type KpiSchema = {
  readonly type: 'number' | 'integer' | 'object';
  readonly nullable?: true;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly description?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, KpiSchema>>;
  readonly additionalProperties?: KpiSchema;
};

/** A ratio, mean or median: null when its population is empty (domain.md). */
export const RATE = { type: 'number', nullable: true } as const satisfies KpiSchema;
/** A table of counts or amounts whose keys the schema does not list. */
export const COUNTS = {
  type: 'object',
  additionalProperties: { type: 'number' },
} as const satisfies KpiSchema;
export const COUNT = { type: 'integer', minimum: 0 } as const satisfies KpiSchema;

/** One figure: what it means, its schema, and its formula over the process's inputs. */
export type KpiDefinition<Inputs> = {
  /** For the OpenAPI document (and anyone reading the registry). */
  readonly description: string;
  readonly schema: KpiSchema;
  /** The formula. Both paths measure the inputs their own way and call it, so it is written once. */
  readonly formula: (inputs: Inputs) => unknown;
};

/**
 * The figures of the customers with counters for a period of whole UTC days
 * (kpi-aggregate-report.ts): what `read` gets on the aggregate path.
 */
export type PeriodCounters = {
  /** The sum over customers of one metric's terms in the period. */
  value(metric: string): number;
  /** Every metric `prefix…` with its value, the part after the prefix as key. */
  family(prefix: string): ReadonlyMap<string, number>;
  /** From the response-time buckets, read apart from the counters. */
  readonly medianFirstResponseMinutes: number | null;
};

/**
 * A process's shape: the inputs its two paths produce (`Out`) and the inputs
 * its formulas take (`In`). A process defines both as the same `Inputs`.
 */
type ProcessShape<In, Out> = {
  readonly measure: (facts: readonly KpiFactsDocument[], range: InstantRange, churnWindowMs: number) => Out;
  readonly read: (counters: PeriodCounters) => Out;
  /** What one customer adds to the counters (terms in kpi/aggregates/term-shapes.ts). */
  readonly terms: (doc: KpiFactsDocument, churnWindowMs: number, sink: KpiTermSink) => void;
  readonly kpis: Readonly<Record<string, KpiDefinition<In>>>;
};

/**
 * One of Payne & Frow's five processes. Its figures are formulas over
 * `Inputs`, which two paths measure (docs/architecture.md, "Adding a KPI"):
 * `measure` from the customers' facts for any period, `read` from the
 * counters of whole-day periods, which `terms` write for each customer.
 */
export type ProcessDefinition<Inputs> = ProcessShape<Inputs, Inputs>;

/** Any process, whatever its inputs (a formula taking `never` accepts them all). */
export type AnyProcess = ProcessShape<never, unknown>;

/** The figures of one process: each KPI's formula's result. */
export type KpisOf<P extends AnyProcess> = {
  readonly [K in keyof P['kpis']]: ReturnType<P['kpis'][K]['formula']>;
};

/** Every metric of `metrics` read from the counters, under the same keys. */
export function counterValues<K extends string>(
  counters: PeriodCounters,
  metrics: Readonly<Record<K, string>>,
): Record<K, number> {
  return Object.fromEntries(
    Object.entries<string>(metrics).map(([key, metric]) => [key, counters.value(metric)]),
  ) as Record<K, number>;
}
