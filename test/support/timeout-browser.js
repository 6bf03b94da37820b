// The browser tier drives a real chromium against the built app: each step waits on rendering and
// projections, so a generous ceiling under a loaded CI machine. First-load time is printed, not asserted.
jest.setTimeout(120_000);
