/**
 * The runner moved to runtime/log with the rest of how projections run;
 * this path is kept only for queries/testing, which still imports it here.
 */
export { ProjectionRunner } from '../runtime/log/projection-runner';
