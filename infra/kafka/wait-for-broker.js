// Waits until the Kafka broker answers a metadata request.
// usage: node wait-for-broker.js <host:port> <timeoutSeconds> [pid]
// Exits 1 at the deadline, or as soon as the broker process (pid) has died.
/* global process, console, setTimeout */
const { Kafka, logLevel } = require('kafkajs');

const [broker, timeoutSeconds = '120', pid] = process.argv.slice(2);
if (!broker) {
  console.error('usage: node wait-for-broker.js <host:port> <timeoutSeconds> [pid]');
  process.exit(2);
}
const deadline = Date.now() + Number(timeoutSeconds) * 1000;
const kafka = new Kafka({
  clientId: 'crm-wait-for-broker',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 2000,
  retry: { retries: 0 },
});

function alive() {
  if (!pid) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

async function answers() {
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function main() {
  while (Date.now() < deadline) {
    if (!alive()) {
      console.error(`kafka: the broker process ${pid} exited`);
      process.exit(1);
    }
    if (await answers()) process.exit(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  process.exit(1);
}

void main();
