import type { KpiTermSink } from './aggregates/kpi-term-sink';
import type { InstantRange } from './facts/fact-chronology';
import type { KpiFactsDocument } from './facts/kpi-facts.document';
import type { KpisOf, PeriodCounters, ProcessDefinition } from './kpi-definition';
import { INFORMATION_MANAGEMENT } from './processes/information-management.kpis';
import { MULTICHANNEL_INTEGRATION } from './processes/multichannel-integration.kpis';
import { PERFORMANCE_ASSESSMENT } from './processes/performance-assessment.kpis';
import { STRATEGY_DEVELOPMENT } from './processes/strategy-development.kpis';
import { VALUE_CREATION } from './processes/value-creation.kpis';

export type { BySegment, NewCustomers } from './processes/strategy-development.kpis';

/**
 * The registry: Payne & Frow's five CRM processes (domain.md), in report
 * order. Each process file defines its figures; the report's type, both
 * computation paths, the counters and the OpenAPI schema are derived from
 * here, so a new KPI is written in its process file only.
 */
export const KPI_PROCESSES = {
  strategyDevelopment: STRATEGY_DEVELOPMENT,
  valueCreation: VALUE_CREATION,
  multichannelIntegration: MULTICHANNEL_INTEGRATION,
  informationManagement: INFORMATION_MANAGEMENT,
  performanceAssessment: PERFORMANCE_ASSESSMENT,
} as const;

export type KpiProcessName = keyof typeof KPI_PROCESSES;

/** The Payne & Frow KPIs of one period, grouped by the five CRM processes. */
export type PayneFrowKpis = { readonly [P in KpiProcessName]: KpisOf<(typeof KPI_PROCESSES)[P]> };

export type StrategyDevelopmentKpis = PayneFrowKpis['strategyDevelopment'];
export type ValueCreationKpis = PayneFrowKpis['valueCreation'];
export type MultichannelIntegrationKpis = PayneFrowKpis['multichannelIntegration'];
/** `projectionLag` is the caller's to add: it depends on the log head, not on the facts. */
export type InformationManagementKpis = PayneFrowKpis['informationManagement'];
export type PerformanceAssessmentKpis = PayneFrowKpis['performanceAssessment'];

/** A process with its inputs hidden: the two paths to its figures and its counters' terms. */
type ProcessPaths = {
  readonly fromFacts: (
    facts: readonly KpiFactsDocument[],
    range: InstantRange,
    churnWindowMs: number,
  ) => Record<string, unknown>;
  readonly fromCounters: (counters: PeriodCounters) => Record<string, unknown>;
  readonly terms: ProcessDefinition<unknown>['terms'];
};

function pathsOf<Inputs>(process: ProcessDefinition<Inputs>): ProcessPaths {
  const figures = (inputs: Inputs): Record<string, unknown> =>
    Object.fromEntries(Object.entries(process.kpis).map(([name, kpi]) => [name, kpi.formula(inputs)]));
  return {
    fromFacts: (facts, range, churnWindowMs) => figures(process.measure(facts, range, churnWindowMs)),
    fromCounters: (counters) => figures(process.read(counters)),
    terms: process.terms,
  };
}

const PATHS: Readonly<Record<KpiProcessName, ProcessPaths>> = {
  strategyDevelopment: pathsOf(STRATEGY_DEVELOPMENT),
  valueCreation: pathsOf(VALUE_CREATION),
  multichannelIntegration: pathsOf(MULTICHANNEL_INTEGRATION),
  informationManagement: pathsOf(INFORMATION_MANAGEMENT),
  performanceAssessment: pathsOf(PERFORMANCE_ASSESSMENT),
};

/**
 * Every process's figures, each its definition's formula over its inputs,
 * keyed as the registry (the one cast: Object.fromEntries cannot see the
 * keys the definitions give the figures).
 */
function report(figuresOf: (paths: ProcessPaths) => Record<string, unknown>): PayneFrowKpis {
  return Object.fromEntries(
    Object.entries(PATHS).map(([name, paths]) => [name, figuresOf(paths)]),
  ) as PayneFrowKpis;
}

/** The document path: any period, from the customers' facts. */
export function kpisFromFacts(
  facts: readonly KpiFactsDocument[],
  range: InstantRange,
  churnWindowMs: number,
): PayneFrowKpis {
  return report((paths) => paths.fromFacts(facts, range, churnWindowMs));
}

/** The aggregate path: a whole-day period, from the counters the terms below wrote. */
export function kpisFromCounters(counters: PeriodCounters): PayneFrowKpis {
  return report((paths) => paths.fromCounters(counters));
}

/** What one customer adds to the counters: every process's terms. */
export function termsOfEveryProcess(doc: KpiFactsDocument, churnWindowMs: number, sink: KpiTermSink): void {
  for (const paths of Object.values(PATHS)) paths.terms(doc, churnWindowMs, sink);
}
