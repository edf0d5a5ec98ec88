/**
 * A relay process that dies by SIGKILL at a chosen point of its N-th batch, the way a pod is
 * OOM-killed: no shutdown hook, no checkpoint saved, connections cut. Run with one JSON argument
 * (see CrashingRelayConfig); prints `relaying` once it is up.
 *
 * - `before-publish`: the N-th batch was read but nothing of it reached the bus;
 * - `mid-publish`: the first half of the N-th batch is stored by JetStream, the rest never sent;
 * - `after-publish`: the whole N-th batch is stored by JetStream, its checkpoint never saved.
 */
import { jetstream } from '@nats-io/jetstream';
import { EventPublisher, connectNats } from '@vista/bus';
import { busNames } from '@vista/contracts';
import { createPool } from '@vista/db';
import { OutboxRelay } from '../outbox-relay.js';

export type CrashPoint = 'before-publish' | 'mid-publish' | 'after-publish';

export interface CrashingRelayConfig {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly namespace: string;
  readonly schema: string;
  readonly batchSize: number;
  readonly crashPoint: CrashPoint;
  /** 1-based number of the batch during which the process kills itself. */
  readonly crashAtBatch: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as CrashingRelayConfig;
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: SIGKILL was sent');
};

const nc = await connectNats(config.natsUrl, 'crashing-relay');
const publisher = new EventPublisher(jetstream(nc), busNames(config.namespace));
let batches = 0;

const relay = new OutboxRelay(createPool({ url: config.databaseUrl, poolMax: 2, applicationName: 'crashing-relay' }), {
  schema: config.schema,
  batchSize: config.batchSize,
  pollIntervalMs: 10,
  publish: async (events) => {
    batches++;
    if (batches === config.crashAtBatch && config.crashPoint === 'before-publish') die();
    if (batches === config.crashAtBatch && config.crashPoint === 'mid-publish') {
      await publisher.publishBatch(events.slice(0, Math.ceil(events.length / 2)));
      die();
    }
    await publisher.publishBatch(events);
  },
  afterPublish: () => {
    if (batches === config.crashAtBatch && config.crashPoint === 'after-publish') die();
  },
  onError: (error) => process.stderr.write(`relay error: ${(error as Error)?.stack ?? String(error)}\n`),
});
relay.start();
process.stdout.write('relaying\n');
