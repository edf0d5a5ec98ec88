import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { type BusNames, busNames } from '@vista/contracts';
import { advisoryNames, provisionStreams } from '@vista/bus';
import { testServers, uniqueNamespace } from './test-environment.js';

export interface TestBus {
  readonly namespace: string;
  readonly names: BusNames;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Deletes this run's streams and closes the connection. */
  cleanup(): Promise<void>;
}

/** Connects to the real NATS and provisions a namespace (streams) of its own for one test file. */
export async function createTestBus(namespace = uniqueNamespace()): Promise<TestBus> {
  const names = busNames(namespace);
  const nc = await connect({ servers: testServers.natsUrl, name: `test-${namespace}` });
  const jsm = await jetstreamManager(nc);
  await provisionStreams(jsm, names);
  return {
    namespace,
    names,
    nc,
    js: jetstream(nc),
    jsm,
    async cleanup() {
      for (const stream of [names.eventsStream, names.deadLetterStream, advisoryNames(names).stream]) {
        await jsm.streams.delete(stream).catch(() => undefined);
      }
      await nc.close();
    },
  };
}
