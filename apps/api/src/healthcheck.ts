import { isReady } from './health-probe';

/** `node dist/apps/api/src/healthcheck.js`: exit 0 when this process is ready, 1 otherwise (Docker HEALTHCHECK). */
isReady(process.env).then(
  (ready) => process.exit(ready ? 0 : 1),
  () => process.exit(1),
);
