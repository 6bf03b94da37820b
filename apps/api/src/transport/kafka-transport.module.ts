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
  KafkaProjectionConsumer,
  KafkaRelay,
  type KafkaTransportConfig,
} from '@crm/transport-kafka';
import type { Kafka } from 'kafkajs';

const KAFKA = Symbol('KAFKA');
const KAFKA_CONFIG = Symbol('KAFKA_CONFIG');

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Publishes the store's log to Kafka (run modes `relay` and `all` with Kafka); retries outages itself. */
@Injectable()
export class KafkaRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KafkaRelay');
  private readonly stop = new AbortController();
  private running: Promise<void> = Promise.resolve();
  readonly relay: KafkaRelay;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_CONFIG) config: KafkaTransportConfig,
    // The stored form: Kafka messages carry personal fields encrypted, never in plaintext.
    @Inject(RAW_EVENT_STORE) events: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
  ) {
    this.relay = new KafkaRelay(kafka, events, readStore, {
      ...config,
      onError: (error) => this.logger.warn(`retrying after: ${messageOf(error)}`),
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

/** Projection workers in the Kafka consumer group (run modes `projector` and `all` with Kafka). */
@Injectable()
export class KafkaProjectorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KafkaProjector');
  readonly consumer: KafkaProjectionConsumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(KAFKA_CONFIG) config: KafkaTransportConfig,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(APP_CONFIG) appConfig: AppConfig,
    cipher: PersonalDataCipher,
  ) {
    this.consumer = new KafkaProjectionConsumer(kafka, readStore, {
      ...config,
      projections: customerProjections(appConfig.projections.churnWindowDays),
      // Projections see what the API sees: decrypted, or "[erased]" once the key is shredded.
      decodeData: (event) => cipher.decrypt(event),
      onError: (error) => this.logger.warn(`retrying after: ${messageOf(error)}`),
      onDeadLetter: (letter) =>
        this.logger.error(`dead letter ${letter.id} (${letter.type} at ${letter.position}): ${letter.error}`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  /** Lets the batches in flight commit their writes and offsets, then leaves the group. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }
}

/** Readiness in Kafka mode: the brokers answer a metadata request for the event topic. */
@Injectable()
export class KafkaReadiness implements OnModuleInit {
  constructor(
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
    @Inject(KAFKA) private readonly kafka: Kafka,
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
      { provide: KAFKA, useFactory: () => createKafkaClient(config) },
      KafkaReadiness,
    ];
    if (parts.relay) providers.push(KafkaRelayService);
    if (parts.projector) providers.push(KafkaProjectorService);
    return { module: KafkaTransportModule, providers };
  }
}
