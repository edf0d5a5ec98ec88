// Container health probe: `node deploy/healthcheck.mjs [live|ready]` exits 0 when the service's
// /health/<kind> answers 200 within 3 s. The images have no curl or wget, only node.
const DEFAULT_PORTS = { gateway: 3000, deck: 3101, projector: 3102, doe: 3103, ml: 3104, optimize: 3105 };

const kind = process.argv[2] ?? 'live';
if (kind !== 'live' && kind !== 'ready') {
  console.error(`usage: healthcheck.mjs [live|ready], got "${kind}"`);
  process.exit(2);
}
const port = process.env.HTTP_PORT ?? DEFAULT_PORTS[process.env.SERVICE ?? ''] ?? 3000;

try {
  const response = await fetch(`http://127.0.0.1:${port}/health/${kind}`, { signal: AbortSignal.timeout(3000) });
  if (response.status !== 200) {
    console.error(`/health/${kind} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    process.exit(1);
  }
} catch (error) {
  console.error(`/health/${kind} did not answer: ${error.message}`);
  process.exit(1);
}
