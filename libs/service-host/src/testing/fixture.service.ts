// A minimal service run by `runService`, spawned from dist by run-service.e2e.spec.ts. Settings
// come from the environment the test gives it; FIXTURE_HANG_ON_SHUTDOWN=1 makes a shutdown hook
// that never finishes. Tracing starts before the application is loaded, as in a service's main.
import 'reflect-metadata';
import { startTracing } from '@vista/telemetry/tracing';

const tracing = startTracing('fixture', {});
const { runFixture } = await import('./fixture.app.js');
await runFixture(tracing, process.argv[2]);
