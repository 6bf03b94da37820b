import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { type EventStore, RAW_EVENT_STORE } from '@crm/event-store';
import { PersonalDataCipher } from '@crm/privacy';
import { APP_CONFIG, type AppConfig, NotReadyError, ReadinessChecks } from '@crm/platform';
import { customerProjections } from '@crm/projections';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import {
  createKafkaClient,
  type KafkaLogSeverity,
  KafkaProjectionConsumer,
  KafkaRelay,
  type KafkaTransportConfig,
} from '@crm/transport-kafka';
import type { Kafka } from 'kafkajs';

const KAFKA = Symbol('KAFKA');
/**
 * A client that tries each connection once, for the readiness probe and for
 * creating the topics: it answers now rather than retry for 25 s, and the
 * relay's and consumers' own backoff waits out a broker that is down.
 */
const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
const KAFKA_CONFIG = Symbol('KAFKA_CONFIG');

/** kafkajs' lines as the product's own log lines (JSON, LOG_LEVEL), under the context `Kafka`. */
function toNestLog(logger: Logger): (severity: KafkaLogSeverity, message: string) => void {
  return (severity, message) => {
    if (severity === 'info') logger.log(message);
    else logger[severity](message);
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Publishes the store's log to Kafka (run modes `relay` and `all` with Kafka); retries outages itself. */
@Injectable()
export class KafkaRelayService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KafkaRelay');
  private readonly stop = new AbortController();
  private running: Promise<void> = Promise.resolve();
  readonly relay: KafkaRelay;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_ADMIN) adminClient: Kafka,
    @Inject(KAFKA_CONFIG) config: KafkaTransportConfig,
    // The stored form: Kafka messages carry personal fields encrypted, never in plaintext.
    @Inject(RAW_EVENT_STORE) events: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
  ) {
    this.relay = new KafkaRelay(kafka, events, readStore, {
      ...config,
      adminClient,
      onError: (error) => this.logger.warn(`retrying after: ${messageOf(error)}`),
    });
  }

  /** Ready while the relay runs (it may be waiting out an outage: the `kafka` check says so). */
  onModuleInit(): void {
    this.checks.register('kafkaRelay', () => {
      const { state, checkpoint, published } = this.relay.status();
      if (state !== 'running') return Promise.reject(new NotReadyError(`the relay is ${state}`));
      return Promise.resolve({ checkpoint, published });
    });
  }

  onApplicationBootstrap(): void {
    this.running = this.relay.run(this.stop.signal).catch((error: unknown) => {
      this.logger.error(`relay stopped: ${messageOf(error)}`);
    });
  }

  /** Stops after the batch in flight: its checkpoint moves only if the broker acknowledged it. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await this.running;
  }
}

type ConsumerState = 'idle' | 'joining' | 'consuming' | 'failed' | 'stopped';

/** Projection workers in the Kafka consumer group (run modes `projector` and `all` with Kafka). */
@Injectable()
export class KafkaProjectorService
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('KafkaProjector');
  private state: ConsumerState = 'idle';
  private running: Promise<void> = Promise.resolve();
  private readonly groupId: string;
  readonly consumer: KafkaProjectionConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_ADMIN) adminClient: Kafka,
    @Inject(KAFKA_CONFIG) config: KafkaTransportConfig,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(APP_CONFIG) appConfig: AppConfig,
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
    cipher: PersonalDataCipher,
  ) {
    this.groupId = config.groupId;
    this.consumer = new KafkaProjectionConsumer(kafka, readStore, {
      ...config,
      adminClient,
      projections: customerProjections(appConfig.projections.churnWindowDays),
      // Projections see what the API sees: decrypted, or "[erased]" once the key is shredded.
      decodeData: (event) => cipher.decrypt(event),
      onError: (error) => this.logger.warn(`retrying after: ${messageOf(error)}`),
      onDeadLetter: (letter) =>
        this.logger.error(`dead letter ${letter.id} (${letter.type} at ${letter.position}): ${letter.error}`),
    });
  }

  /** Ready once this process is a member of the consumer group. */
  onModuleInit(): void {
    this.checks.register('kafkaConsumer', () =>
      this.state === 'consuming'
        ? Promise.resolve()
        : Promise.reject(new NotReadyError(`the consumer is ${this.state}`)),
    );
  }

  /**
   * Joins in the background, like the relay: a broker or read store that is
   * down is waited out (readiness says so) instead of holding up the boot.
   */
  onApplicationBootstrap(): void {
    this.state = 'joining';
    this.running = this.consumer.start().then(
      () => {
        if (this.state === 'stopped') return;
        this.state = 'consuming';
        this.logger.log(`joined consumer group ${this.groupId}`);
      },
      (error: unknown) => {
        if (this.state === 'stopped') return;
        this.state = 'failed';
        this.logger.error(`consumer stopped: ${messageOf(error)}`);
      },
    );
  }

  /** Lets the batches in flight commit their writes and offsets, then leaves the group. */
  async beforeApplicationShutdown(): Promise<void> {
    this.state = 'stopped';
    await this.consumer.stop();
    await this.running;
  }
}

/** Readiness in Kafka mode: the brokers answer a metadata request for the event topic. */
@Injectable()
export class KafkaReadiness implements OnModuleInit {
  constructor(
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
    @Inject(KAFKA_ADMIN) private readonly kafka: Kafka,
    @Inject(KAFKA_CONFIG) private readonly config: KafkaTransportConfig,
  ) {}

  onModuleInit(): void {
    this.checks.register('kafka', async () => {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
        const { topics } = await admin.fetchTopicMetadata({ topics: [this.config.topic] });
        const partitions = topics[0]?.partitions.length ?? 0;
        if (partitions === 0) throw new NotReadyError('the event topic has no partitions');
        return { topic: this.config.topic, partitions };
      } finally {
        await admin.disconnect();
      }
    });
  }
}

@Module({})
export class KafkaTransportModule {
  static forRoot(config: KafkaTransportConfig, parts: { relay: boolean; projector: boolean }): DynamicModule {
    const providers: Provider[] = [
      { provide: KAFKA_CONFIG, useValue: config },
      {
        provide: KAFKA,
        useFactory: () => createKafkaClient(config, { log: toNestLog(new Logger('Kafka')) }),
      },
      // One try per connection: its callers (the readiness check, the relay and consumers) retry and report.
      {
        provide: KAFKA_ADMIN,
        useFactory: () => createKafkaClient(config, { retries: 0, logLevel: 'nothing' }),
      },
    ];
    // A process that only reads (run mode `api`) needs no broker: its reads follow the read store.
    if (parts.relay || parts.projector) providers.push(KafkaReadiness);
    if (parts.relay) providers.push(KafkaRelayService);
    if (parts.projector) providers.push(KafkaProjectorService);
    return { module: KafkaTransportModule, providers };
  }
}
