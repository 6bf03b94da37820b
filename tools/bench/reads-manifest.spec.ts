import { type LogIdentity, type ReadsManifest, reuseOf } from './reads-manifest';

const log: LogIdentity = { events: 200_000, customers: 4000, layout: 'by-customer', generator: 'g1' };
const rebuild = { events: 200_000, seconds: 4, eventsPerSecond: 50_000, peakRssMb: 200, workers: 2 };
const built: ReadsManifest = { log: { ...log, writeSeconds: 3 }, readModels: { code: 'c1', rebuild } };

describe('reusing a kept reads directory', () => {
  it('reuses log and read models written from the same settings and code', () => {
    expect(reuseOf(built, log, 'c1')).toBe('log-and-read-models');
  });

  it('rebuilds the read models of a kept log when the code that writes them changed', () => {
    expect(reuseOf(built, log, 'c2')).toBe('log');
  });

  it('rebuilds the read models of a log whose rebuild never finished', () => {
    expect(reuseOf({ ...built, readModels: null }, log, 'c1')).toBe('log');
  });

  it('writes everything again for other settings, another generator or no manifest', () => {
    expect(reuseOf(built, { ...log, events: 300_000 }, 'c1')).toBe('nothing');
    expect(reuseOf(built, { ...log, customers: 5000 }, 'c1')).toBe('nothing');
    expect(reuseOf(built, { ...log, layout: 'interleaved' }, 'c1')).toBe('nothing');
    expect(reuseOf(built, { ...log, generator: 'g2' }, 'c1')).toBe('nothing');
    expect(reuseOf(null, log, 'c1')).toBe('nothing');
  });
});
