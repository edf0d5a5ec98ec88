// Asks the projector to rebuild the read model from the events stream and prints the result:
//   node dist/tools/rebuild/rebuild.js [reason…]
// Environment: NATS_URL, VISTA_BUS_NAMESPACE, REBUILD_TIMEOUT_MS (default one hour), SERVICE_SIGNING_KEY (the
// services' key: the projector accepts RebuildReadModel from an admin or a service).
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { BusEnvironment, CommandClient } from '@vista/bus';
import { IdentityEnvironment, loadEnvironment, RebuildReadModel, VistaError } from '@vista/contracts';
import { ServiceTokenIssuer, parseServiceKey } from '@vista/identity';

class RebuildEnvironment {
  /** How long to wait for the projector's answer. */
  @IsInt() @Min(1_000) @Max(86_400_000) REBUILD_TIMEOUT_MS = 3_600_000;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'usage: rebuild [reason…]\n  Replays the events stream into fresh read-model tables and swaps them in.\n  Env: NATS_URL, VISTA_BUS_NAMESPACE, REBUILD_TIMEOUT_MS, SERVICE_SIGNING_KEY\n',
    );
    return 0;
  }
  let env: BusEnvironment & IdentityEnvironment & RebuildEnvironment;
  try {
    env = loadEnvironment([BusEnvironment, IdentityEnvironment, RebuildEnvironment], process.env);
  } catch (error) {
    process.stderr.write(`rebuild: ${(error as Error).message}\n`);
    return 2;
  }
  // stdout carries the result alone; the NATS client's connection chatter stays out of it.
  Logger.overrideLogger(['error', 'fatal']);
  const reason = argv.join(' ').trim();
  if (!env.SERVICE_SIGNING_KEY) {
    process.stderr.write('rebuild: SERVICE_SIGNING_KEY is not set; the projector accepts a rebuild only from a service or an admin\n');
    return 2;
  }
  const tokens = new ServiceTokenIssuer('rebuild-cli', parseServiceKey(env.SERVICE_SIGNING_KEY));
  const client = new CommandClient(env.VISTA_BUS_NAMESPACE, env.NATS_URL.split(','), 'rebuild-cli', { serviceAuthorization: () => tokens.authorization() });
  try {
    await client.connect();
    const result = await client.execute(RebuildReadModel, reason ? { reason } : {}, {
      actor: tokens.actor,
      correlationId: randomUUID(),
      timeoutMs: env.REBUILD_TIMEOUT_MS,
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (error) {
    const code = error instanceof VistaError ? error.code : 'internal';
    process.stderr.write(`rebuild failed (${code}): ${(error as Error).message}\n`);
    return 1;
  } finally {
    await client.close().catch(() => undefined);
  }
}

process.exitCode = await main(process.argv.slice(2));
