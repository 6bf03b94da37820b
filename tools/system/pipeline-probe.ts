import { setTimeout as sleep } from 'node:timers/promises';
import { consumerGroupLag, createKafkaClient, kafkajsBroker, type MessageBroker } from '@crm/transport-kafka';
import { AssignerProtocol, type Kafka } from 'kafkajs';
import type { AppProcess } from './app-process';

type ReadyReport = { readonly checks?: Record<string, Record<string, unknown> | undefined> };

async function readyReport(process: AppProcess): Promise<ReadyReport> {
  const response = await fetch(process.url('/health/ready'), { signal: AbortSignal.timeout(10_000) });
  return (await response.json()) as ReadyReport;
}

function numberAt(report: ReadyReport, check: string, field: string): number | null {
  const value = report.checks?.[check]?.[field];
  return typeof value === 'number' ? value : null;
}

/** Where the pipeline stands: the log's head, what the relay published, what the group has not applied. */
export type PipelineState = {
  readonly head: number;
  readonly relayCheckpoint: number | null;
  readonly consumerLag: number | null;
};

/**
 * Watches the pipeline from outside, through what the processes publish:
 * the log head from an API's readiness report, the relay's checkpoint from
 * its readiness report (both docs/kafka.md, "Processes and outages"), and
 * the consumer group's lag from the broker. The group commits its offsets
 * only after the read models hold the documents, so "relay at the head and
 * no lag" means every event of the log is in the read models.
 */
export class PipelineProbe {
  private readonly kafka: Kafka;
  private readonly broker: MessageBroker;

  constructor(
    brokers: string,
    private readonly topic: string,
    private readonly groupId: string,
  ) {
    // kafkajs' own retries: a broker busy with a rebalance answers a moment later.
    this.kafka = createKafkaClient(
      { brokers: brokers.split(','), clientId: `${groupId}-probe` },
      { logLevel: 'nothing' },
    );
    this.broker = kafkajsBroker(this.kafka);
  }

  /** In this order: a lag read after the relay reached the head counts every message it published. */
  async state(api: AppProcess, relay: AppProcess): Promise<PipelineState> {
    const head = numberAt(await readyReport(api), 'eventStore', 'headPosition');
    if (head === null) throw new Error(`${api.name} reports no eventStore.headPosition`);
    const relayCheckpoint = relay.running
      ? numberAt(await readyReport(relay), 'kafkaRelay', 'checkpoint')
      : null;
    const consumerLag = await consumerGroupLag(this.broker, this.topic, this.groupId).then(
      (result) => result.total,
      () => null,
    );
    return { head, relayCheckpoint, consumerLag };
  }

  /** The members of the consumer group and the partitions of the topic each was assigned, members sorted by size. */
  async assignment(): Promise<number[][]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([this.groupId]);
      const members = groups[0]?.members ?? [];
      return members
        .map((member) => {
          const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
          return [...(decoded?.assignment[this.topic] ?? [])].sort((a, b) => a - b);
        })
        .sort((a, b) => b.length - a.length);
    } finally {
      await admin.disconnect();
    }
  }

  /** Deletes the topics of a finished run, so the broker does not pile up partitions run after run. */
  async deleteTopics(topics: readonly string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const ours = topics.filter((topic) => existing.has(topic));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours, timeout: 10_000 });
    } finally {
      await admin.disconnect();
    }
  }

  /** Resolves with the state once the relay has published the head and the group has no lag. */
  async drained(api: AppProcess, relay: AppProcess, timeoutMs: number, pollMs = 250): Promise<PipelineState> {
    const deadline = Date.now() + timeoutMs;
    let last: PipelineState | string = 'not probed';
    while (Date.now() < deadline) {
      try {
        const state = await this.state(api, relay);
        last = state;
        if (state.relayCheckpoint !== null && state.relayCheckpoint >= state.head && state.consumerLag === 0)
          return state;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await sleep(pollMs);
    }
    throw new Error(`the pipeline did not drain within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
  }
}
