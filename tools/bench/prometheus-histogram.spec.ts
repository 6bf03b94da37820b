import { histogramDelta, histogramQuantile, parseHistogram } from './prometheus-histogram';

const scrape = (counts: readonly number[]): string =>
  [
    '# HELP h_seconds a histogram',
    '# TYPE h_seconds histogram',
    `h_seconds_bucket{le="0.01"} ${counts[0]}`,
    `h_seconds_bucket{le="0.05"} ${counts[1]}`,
    `h_seconds_bucket{le="0.1"} ${counts[2]}`,
    `h_seconds_bucket{le="+Inf"} ${counts[3]}`,
    'h_seconds_sum 1.5',
    `h_seconds_count ${counts[3]}`,
    'other_bucket{le="0.01"} 99',
  ].join('\n');

describe('Prometheus histograms in the bench', () => {
  it('reads the cumulative buckets and the count of one histogram only', () => {
    expect(parseHistogram(scrape([1, 2, 3, 4]), 'h_seconds')).toEqual({
      buckets: [
        [0.01, 1],
        [0.05, 2],
        [0.1, 3],
        [Infinity, 4],
      ],
      count: 4,
    });
    expect(parseHistogram('', 'h_seconds')).toEqual({ buckets: [], count: 0 });
  });

  it('interpolates within the bucket the rank falls in, as histogram_quantile does', () => {
    // 100 observations: 50 up to 10 ms, 40 in (10, 50] ms, 10 in (50, 100] ms.
    const histogram = parseHistogram(scrape([50, 90, 100, 100]), 'h_seconds');

    expect(histogramQuantile(0.5, histogram)).toBeCloseTo(0.01, 10);
    expect(histogramQuantile(0.25, histogram)).toBeCloseTo(0.005, 10);
    expect(histogramQuantile(0.7, histogram)).toBeCloseTo(0.01 + 0.04 * (20 / 40), 10);
    expect(histogramQuantile(0.99, histogram)).toBeCloseTo(0.05 + 0.05 * (9 / 10), 10);
  });

  it('answers the highest finite bound for a rank in +Inf, and null without observations', () => {
    expect(histogramQuantile(0.99, parseHistogram(scrape([0, 0, 1, 10]), 'h_seconds'))).toBe(0.1);
    expect(histogramQuantile(0.5, parseHistogram(scrape([0, 0, 0, 0]), 'h_seconds'))).toBeNull();
  });

  it('takes what was observed between two scrapes', () => {
    const delta = histogramDelta(
      parseHistogram(scrape([5, 5, 5, 5]), 'h_seconds'),
      parseHistogram(scrape([55, 95, 105, 105]), 'h_seconds'),
    );

    expect(delta.count).toBe(100);
    expect(histogramQuantile(0.5, delta)).toBeCloseTo(0.01, 10);
  });
});
