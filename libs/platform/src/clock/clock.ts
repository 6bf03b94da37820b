/** The only way infrastructure reads the time, so tests can pin it. The domain never does. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
