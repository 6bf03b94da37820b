// Jest 29 reads testTimeout only globally, not per project: each tier sets its own here.
// Real servers, restarts and consumer-group rebalances take seconds each.
jest.setTimeout(120_000);
