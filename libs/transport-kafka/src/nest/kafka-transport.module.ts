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
import { PersonalDataCipher } from '@crm/privacy/encryption';
import { NotReadyError, ReadinessChecks } from '@crm/platform';
import type { Projection } from '@crm/projections';
import { PROJECTIONS, ProjectionCatalogModule, TRANSPORT_READ_POSITIONS } from '@crm/projections/runtime';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { createKafkaClient, type KafkaLogSeverity } from '../broker/kafkajs/kafka-client';
import { kafkajsBroker } from '../broker/kafkajs/kafkajs-broker';
import type { MessageBroker } from '../broker/message-broker';
import type { KafkaTransportConfig } from '../kafka-config';
import { KafkaProjectionConsumer } from '../kafka-projection-consumer';
import { KafkaRelay } from '../kafka-relay';
import { partitionsWarning, type TopicLayout } from '../kafka-topics';
import { KafkaReadPositions } from '../reads/kafka-read-positions';

/** The broker (kafkajs today, behind the MessageBroker port). */
export const KAFKA_BROKER = Symbol('KAFKA_BROKER');
/**
 * A broker whose client tries each connection once, for the readiness probe
 * and for creating the topics: it answers now rather than retry for 25 s,
 * and the relay's and consumers' own backoff waits out a broker that is down.
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

/** A partition count other than KAFKA_PARTITIONS is said once, at warn. */
function reportLayout(logger: Logger): (layout: TopicLayout) => void {
  return (layout) => {
    if (layout.warning) logger.warn(layout.warning);
  };
}

/** Publishes the store's log to Kafka (run modes `relay` and `all` with Kafka); retries outages itself. */
@Injectable()
export class KafkaRelayService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KafkaRelay');
  private readonly stop = new AbortController();
  private running: Promise<void> = Promise.resolve();
  readonly relay: KafkaRelay;

  constructor(
    @Inject(KAFKA_BROKER) broker: MessageBroker,
    @Inject(KAFKA_ADMIN) adminBroker: MessageBroker,
    @Inject(KAFKA_CONFIG) config: KafkaTransportConfig,
    // The stored form: Kafka messages carry personal fields encrypted, never in plaintext.
    @Inject(RAW_EVENT_STORE) events: EventStore,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
  ) {
    this.relay = new KafkaRelay(broker, events, readStore, {
      ...config,
      adminBroker,
      onError: (error) => this.logger.warn(`retrying after: ${messageOf(error)}`),
      onTopic: reportLayout(this.logger),
    });
  }

  /** Ready while the relay runs (it may be waiting out an outage: the `kafka` check says so). */
  onModuleInit(): void {
    this.checks.register('kafkaRelay', () => {
      const { state, checkpoint, published, partitions } = this.relay.status();
      if (state !== 'running') return Promise.reject(new NotReadyError(`the relay is ${state}`));
      return Promise.resolve({ checkpoint, published, partitions });
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
    @Inject(KAFKA_BROKER) broker: MessageBroker,
    @Inject(KAFKA_ADMIN) adminBroker: MessageBroker,
    @Inject(KAFKA_CONFIG) config: KafkaTransportConfig,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(PROJECTIONS) projections: readonly Projection[],
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
    cipher: PersonalDataCipher,
  ) {
    this.groupId = config.groupId;
    this.consumer = new KafkaProjectionConsumer(broker, readStore, {
      ...config,
      adminBroker,
      projections,
      // Projections see what the API sees: decrypted, or "[erased]" once the key is shredded.
      decodeData: (event) => cipher.decrypt(event),
      onError: (error) => this.logger.warn(`retrying after: ${messageOf(error)}`),
      onTopic: reportLayout(this.logger),
      onDeadLetter: (letter) =>
        this.logger.error(
          `dead letter ${letter.projection}:${letter.eventId} (${letter.type} at ${letter.position}): ${letter.error}`,
        ),
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

/**
 * Readiness in Kafka mode: the brokers answer a metadata request for the
 * event topic; its partition count, and a warning when it is not
 * KAFKA_PARTITIONS, are in the check's details.
 */
@Injectable()
export class KafkaReadiness implements OnModuleInit {
  constructor(
    @Inject(ReadinessChecks) private readonly checks: ReadinessChecks,
    @Inject(KAFKA_ADMIN) private readonly broker: MessageBroker,
    @Inject(KAFKA_CONFIG) private readonly config: KafkaTransportConfig,
  ) {}

  onModuleInit(): void {
    this.checks.register('kafka', async () => {
      const partitions = await this.broker.admin((admin) => admin.partitionCount(this.config.topic));
      if (partitions === 0) throw new NotReadyError('the event topic has no partitions');
      const warning = partitionsWarning(this.config, partitions);
      return { topic: this.config.topic, partitions, ...(warning && { warning }) };
    });
  }
}

/** Reads wait for what the consumers committed (see KafkaReadPositions), followed from boot. */
@Injectable()
export class KafkaReadPositionsService
  extends KafkaReadPositions
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('KafkaReadPositions');
  private lastError: string | null = null;

  constructor(
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(RAW_EVENT_STORE) events: EventStore,
    @Inject(KAFKA_CONFIG) config: KafkaTransportConfig,
  ) {
    super(readStore, events, {
      topic: config.topic,
      onError: (error) => {
        // Once per distinct failure, not every 100 ms.
        const message = messageOf(error);
        if (message !== this.lastError)
          this.logger.warn(`reading the partitions' progress failed: ${message}`);
        this.lastError = message;
      },
    });
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}

export type KafkaTransportParts = {
  /** Publishes the store's log (run modes `relay` and `all`). */
  readonly relay: boolean;
  /** Consumes it into the projections (run modes `projector` and `all`). */
  readonly projector: boolean;
  /** Follows the partitions' progress for reads and lag (every process that imports ProjectionsModule). */
  readonly reads: boolean;
};

/**
 * The Kafka transport in a Nest application: the relay, the projection
 * consumers and the read positions, as `parts` asks. Imported by
 * ProjectionsModule.forRoot({ transport }) where projections run or are
 * read (it provides TRANSPORT_READ_POSITIONS), on its own by the relay.
 * Needs the core module's stores and the privacy providers.
 */
@Module({})
export class KafkaTransportModule {
  static forRoot(config: KafkaTransportConfig, parts: KafkaTransportParts): DynamicModule {
    const providers: Provider[] = [
      { provide: KAFKA_CONFIG, useValue: config },
      {
        provide: KAFKA_BROKER,
        useFactory: () => kafkajsBroker(createKafkaClient(config, { log: toNestLog(new Logger('Kafka')) })),
      },
      // One try per connection: its callers (the readiness check, the relay and consumers) retry and report.
      {
        provide: KAFKA_ADMIN,
        useFactory: () => kafkajsBroker(createKafkaClient(config, { retries: 0, logLevel: 'nothing' })),
      },
    ];
    const exported: symbol[] = [];
    // A process that only reads (run mode `api`) needs no broker: its reads follow the read store.
    if (parts.relay || parts.projector) providers.push(KafkaReadiness);
    if (parts.relay) providers.push(KafkaRelayService);
    if (parts.projector) providers.push(KafkaProjectorService);
    if (parts.reads) {
      providers.push(KafkaReadPositionsService, {
        provide: TRANSPORT_READ_POSITIONS,
        useExisting: KafkaReadPositionsService,
      });
      exported.push(TRANSPORT_READ_POSITIONS);
    }
    return { module: KafkaTransportModule, imports: [ProjectionCatalogModule], providers, exports: exported };
  }
}
