import { redactUrl } from './redact-url';

const KEY = `crm_0123456789abcdef_${'s'.repeat(43)}`;

describe('redactUrl', () => {
  it.each([
    ['/customers/p1/events?api_key=SECRET', '/customers/p1/events?api_key=[REDACTED]'],
    [
      '/kpis?from=2026-01-01T00:00:00Z&apiKey=SECRET&x=1',
      '/kpis?from=2026-01-01T00:00:00Z&apiKey=[REDACTED]&x=1',
    ],
    ['/x?API-KEY=SECRET', '/x?API-KEY=[REDACTED]'],
    ['/x?access_token=SECRET&token=SECRET2', '/x?access_token=[REDACTED]&token=[REDACTED]'],
    ['/x?api%5Fkey=SECRET', '/x?api%5Fkey=[REDACTED]'],
    ['/x?password', '/x?password=[REDACTED]'],
  ])('replaces the value of a credential parameter: %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  it('replaces one of our keys wherever it is in the URL', () => {
    expect(redactUrl(`/customers/${KEY}?q=${KEY}`)).toBe('/customers/[REDACTED]?q=[REDACTED]');
  });

  it('leaves a URL without credentials as it is', () => {
    const url = '/customers/p1/journey?asOf=2026-01-01T00:00:00Z&limit=10&monkey=1';

    expect(redactUrl(url)).toBe(url);
  });
});
