import type { KpiFactsDocument } from '../facts/kpi-facts.document';
import { termsOfEveryProcess } from '../payne-frow-kpis';
import type { KpiTermSink } from './kpi-term-sink';

/**
 * The terms of one customer's KPI facts: each process writes those of its
 * own metrics (processes/*.kpis.ts, `terms`), in the shapes of
 * term-shapes.ts. Each metric is a sum over customers; the process's
 * `measure` is the definition its `read` of them reproduces, and the
 * randomized spec checks the two paths against each other period by period.
 */
export function kpiTerms(doc: KpiFactsDocument, churnWindowMs: number, sink: KpiTermSink): void {
  sink.countedWithWindow(churnWindowMs);
  termsOfEveryProcess(doc, churnWindowMs, sink);
}
