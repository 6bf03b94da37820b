import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import type { PredictedValueFitDocument } from '@crm/projections';

const NUMBER = { type: 'number' } as const;
const ESTIMATE_COMMON = {
  logLikelihood: NUMBER,
  iterations: { type: 'integer' },
  converged: { type: 'boolean' },
  customers: { type: 'integer', description: 'Customers the model was fitted on' },
} as const;

const BG_NBD: ApiPropertyOptions = {
  type: 'object',
  required: [
    'r',
    'alpha',
    'a',
    'b',
    'logLikelihood',
    'iterations',
    'converged',
    'customers',
    'standardErrors',
  ],
  properties: {
    r: NUMBER,
    alpha: NUMBER,
    a: NUMBER,
    b: NUMBER,
    ...ESTIMATE_COMMON,
    standardErrors: {
      type: 'object',
      nullable: true,
      properties: { r: NUMBER, alpha: NUMBER, a: NUMBER, b: NUMBER },
      description: 'From the observed information; null when it is not positive definite',
    },
  },
};

const GAMMA_GAMMA: ApiPropertyOptions = {
  type: 'object',
  nullable: true,
  required: ['p', 'q', 'gamma', 'logLikelihood', 'iterations', 'converged', 'customers', 'standardErrors'],
  properties: {
    p: NUMBER,
    q: NUMBER,
    gamma: { type: 'number', description: 'Scale, in minor units' },
    ...ESTIMATE_COMMON,
    standardErrors: {
      type: 'object',
      nullable: true,
      properties: { p: NUMBER, q: NUMBER, gamma: NUMBER },
    },
  },
  description: 'Null when no customer had a repeat purchase day of positive value',
};

/** A stored fit of BG/NBD and Gamma-Gamma (docs/analytics.md, "Predicted customer value"). */
export class PredictedValueFitResponse {
  @ApiProperty({ description: 'Digest of the inputs: the same log and calibration end give the same id' })
  fitId!: string;
  @ApiProperty({ format: 'date-time' }) calibrationEnd!: string;
  @ApiProperty({ enum: ['day', 'week'] }) unit!: string;
  @ApiProperty({ type: 'integer', description: 'Horizon of the stored per-customer predictions, days' })
  horizonDays!: number;
  @ApiProperty({ type: 'integer', description: 'Log position the read model reflected when the fit read it' })
  position!: number;
  @ApiProperty(BG_NBD) bgnbd!: PredictedValueFitDocument['bgnbd'];
  @ApiProperty(GAMMA_GAMMA) gammaGamma!: PredictedValueFitDocument['gammaGamma'];
  @ApiProperty({ type: 'integer' }) customers!: number;
  @ApiProperty({ type: 'integer' }) customersWithRepeat!: number;
  @ApiProperty({ format: 'date-time' }) fittedAt!: string;
  @ApiProperty({ type: 'integer' }) durationMs!: number;
}

export function fitResponse(doc: PredictedValueFitDocument): PredictedValueFitResponse {
  return {
    fitId: doc.fitId,
    calibrationEnd: doc.calibrationEnd,
    unit: doc.unit,
    horizonDays: doc.horizonDays,
    position: doc.logPosition,
    bgnbd: doc.bgnbd,
    gammaGamma: doc.gammaGamma,
    customers: doc.customers,
    customersWithRepeat: doc.customersWithRepeat,
    fittedAt: doc.fittedAt,
    durationMs: doc.durationMs,
  };
}
