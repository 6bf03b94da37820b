// Jest 29 reads testTimeout only globally, not per project: each tier sets its own here.
// Real files, processes and fsyncs: generous under a loaded CI machine; speed is measured by `npm run bench`.
jest.setTimeout(30_000);
