import { newSecret, SECRET_PREFIX, sign, verify } from './webhook-signature';

// The Standard Webhooks specification's published test vector: matching it is what lets a
// receiver verify our deliveries with that specification's libraries (standardwebhooks, svix).
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

describe('webhook signatures (Standard Webhooks)', () => {
  it('signs exactly as the specification test vector', () => {
    expect(sign(SECRET, ID, TIMESTAMP, BODY)).toBe(SIGNATURE);
  });

  it('verifies the vector, also among several signatures (a secret being rotated)', () => {
    expect(verify(SECRET, ID, String(TIMESTAMP), BODY, SIGNATURE)).toBe(true);
    expect(verify(SECRET, ID, String(TIMESTAMP), BODY, `v1,bm90IGl0 ${SIGNATURE}`)).toBe(true);
  });

  it.each([
    ['the body changed', ID, String(TIMESTAMP), '{"test": 2432232315}'],
    ['another id', 'msg_other', String(TIMESTAMP), BODY],
    ['another timestamp', ID, String(TIMESTAMP + 1), BODY],
    ['a timestamp that is not a number', ID, '1614265330.0', BODY],
  ])('refuses a request when %s', (_, id, timestamp, body) => {
    expect(verify(SECRET, id, timestamp, body, SIGNATURE)).toBe(false);
  });

  it('refuses a signature made with another secret', () => {
    expect(verify(newSecret(), ID, String(TIMESTAMP), BODY, SIGNATURE)).toBe(false);
  });

  it('makes a new 32-byte secret each time', () => {
    const [a, b] = [newSecret(), newSecret()];
    expect(a.startsWith(SECRET_PREFIX)).toBe(true);
    expect(Buffer.from(a.slice(SECRET_PREFIX.length), 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('refuses a secret without its prefix', () => {
    expect(() => sign('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', ID, TIMESTAMP, BODY)).toThrow(RangeError);
  });
});
