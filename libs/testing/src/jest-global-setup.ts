import net from 'node:net';

// Jest loads global setup outside its module mapper (a relative `.js` import of a `.ts` file does not
// resolve here), so this file stands alone and repeats test-environment.ts's defaults.
const testServers = {
  databaseAdminUrl: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  natsUrl: process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222',
};

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
