/**
 * Sharing the event loop with long reads, without Nest: usable from the
 * framework-free libraries (projections, analytics) and worker threads.
 */
export * from './slicer';
export * from './read-too-large.error';
