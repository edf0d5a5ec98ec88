import net from 'node:net';
import { testServers } from './test-environment.js';

/** Fails fast, with what to do, when the real NATS or Postgres of the test run is not there. */
export default async function globalSetup(): Promise<void> {
  const targets = [
    { what: 'Postgres', url: new URL(testServers.databaseAdminUrl), port: 5432, hint: 'start it, or set TEST_DATABASE_ADMIN_URL' },
    { what: 'NATS (JetStream)', url: new URL(testServers.natsUrl), port: 4222, hint: 'start nats-server -js, or set TEST_NATS_URL' },
  ];
  for (const t of targets) {
    const port = Number(t.url.port || t.port);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: t.url.hostname, port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
      socket.setTimeout(3_000, () => {
        socket.destroy();
        resolve(false);
      });
    });
    if (!ok) throw new Error(`${t.what} is not reachable at ${t.url.hostname}:${port} — ${t.hint}`);
  }
}
