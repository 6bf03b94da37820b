import { targetProblem } from './webhook-target';

describe('webhook targets', () => {
  it.each([
    'https://hooks.example.com/crm',
    'https://10.0.0.7:8443/in?x=1',
    'http://127.0.0.1:8080/hook',
    'http://127.4.5.6/hook',
    'http://localhost:3000/',
    'http://[::1]:9000/hook',
  ])('accepts %s', (url) => {
    expect(targetProblem(url, false)).toBeNull();
  });

  it.each([
    ['http://hooks.example.com/crm', 'must be https'],
    ['http://10.0.0.7/hook', 'must be https'],
    ['http://127.0.0.1.nip.io/hook', 'must be https'],
    ['ftp://hooks.example.com/', 'must be https (or http to a loopback host)'],
    ['file:///etc/passwd', 'must be https (or http to a loopback host)'],
    ['hooks.example.com/crm', 'must be an absolute URL'],
    ['https://user:pw@hooks.example.com/', 'must not carry credentials'],
    ['https://hooks.example.com/#top', 'must not have a fragment'],
  ])('refuses %s', (url, problem) => {
    expect(targetProblem(url, false)).toContain(problem);
  });

  it('accepts plain http anywhere once insecure targets are allowed, and still nothing but http(s)', () => {
    expect(targetProblem('http://hooks.internal/crm', true)).toBeNull();
    expect(targetProblem('ftp://hooks.internal/', true)).not.toBeNull();
  });
});
