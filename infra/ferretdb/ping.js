/**
 * Waits until a MongoDB-compatible server answers `ping`, for start.sh.
 * Usage: node ping.js <url> <deadlineMs> [pid]
 * With a pid, gives up as soon as that process has exited. Exit code 0 when
 * the server answered, 1 otherwise (the last error on stderr).
 */
const process = require('node:process');
const { setTimeout: sleep } = require('node:timers/promises');
const { MongoClient } = require('mongodb');

const [url, deadlineArg, pidArg] = process.argv.slice(2);
const deadline = Date.now() + Number(deadlineArg ?? 30000);
const pid = pidArg === undefined ? undefined : Number(pidArg);

function isAlive() {
  if (pid === undefined) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function pingOnce() {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 1000, connectTimeoutMS: 1000 });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}

async function main() {
  let lastError = new Error('no attempt made');
  while (Date.now() < deadline) {
    if (!isAlive()) {
      process.stderr.write(`process ${pid} exited before ${url} answered\n`);
      return 1;
    }
    try {
      await pingOnce();
      return 0;
    } catch (error) {
      lastError = error;
      await sleep(250);
    }
  }
  process.stderr.write(`${url} did not answer ping in time: ${lastError.message}\n`);
  return 1;
}

main().then((code) => process.exit(code));
