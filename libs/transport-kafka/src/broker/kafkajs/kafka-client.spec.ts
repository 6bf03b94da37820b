import { logLevel } from 'kafkajs';
import { kafkaLogLine } from './kafka-client';

describe('kafkaLogLine', () => {
  it('reports a broker error answer, which kafkajs retries or throws to its caller, at warn with the error', () => {
    const line = kafkaLogLine({
      namespace: 'Connection',
      level: logLevel.ERROR,
      log: {
        message: 'Response Heartbeat(key: 12, version: 3)',
        error: 'The group is rebalancing, so a rejoin is needed',
      },
    });

    expect(line).toEqual({
      severity: 'warn',
      message:
        '[Connection] Response Heartbeat(key: 12, version: 3): The group is rebalancing, so a rejoin is needed',
    });
  });

  it('keeps every other error at error', () => {
    const line = kafkaLogLine({
      namespace: 'Consumer',
      level: logLevel.ERROR,
      log: { message: 'Crash: KafkaJSNumberOfRetriesExceeded', error: 'Connection error' },
    });

    expect(line).toEqual({
      severity: 'error',
      message: '[Consumer] Crash: KafkaJSNumberOfRetriesExceeded: Connection error',
    });
  });

  it('keeps the levels below error as they are', () => {
    expect(
      kafkaLogLine({ namespace: 'Connection', level: logLevel.WARN, log: { message: 'Response x' } })
        .severity,
    ).toBe('warn');
    expect(
      kafkaLogLine({ namespace: 'Runner', level: logLevel.INFO, log: { message: 'Consumer has joined' } }),
    ).toEqual({
      severity: 'info',
      message: '[Runner] Consumer has joined',
    });
  });
});
