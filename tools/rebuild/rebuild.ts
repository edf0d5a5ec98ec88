// Asks the projector to rebuild the read model from the events stream and prints the result:
//   node dist/tools/rebuild/rebuild.js [reason…]
// Environment: NATS_URL, VISTA_BUS_NAMESPACE, REBUILD_TIMEOUT_MS (default one hour).
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { BusEnvironment, CommandClient } from '@vista/bus';
import { loadEnvironment, RebuildReadModel, VistaError } from '@vista/contracts';

class RebuildEnvironment {
  /** How long to wait for the projector's answer. */
  @IsInt() @Min(1_000) @Max(86_400_000) REBUILD_TIMEOUT_MS = 3_600_000;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'usage: rebuild [reason…]\n  Replays the events stream into fresh read-model tables and swaps them in.\n  Env: NATS_URL, VISTA_BUS_NAMESPACE, REBUILD_TIMEOUT_MS\n',
    );
    return 0;
  }
  let env: BusEnvironment & RebuildEnvironment;
  try {
    env = loadEnvironment([BusEnvironment, RebuildEnvironment], process.env);
  } catch (error) {
    process.stderr.write(`rebuild: ${(error as Error).message}\n`);
    return 2;
  }
  // stdout carries the result alone; the NATS client's connection chatter stays out of it.
  Logger.overrideLogger(['error', 'fatal']);
  const reason = argv.join(' ').trim();
  const client = new CommandClient(env.VISTA_BUS_NAMESPACE, env.NATS_URL.split(','), 'rebuild-cli');
  try {
    await client.connect();
    const result = await client.execute(RebuildReadModel, reason ? { reason } : {}, {
      actor: 'service:rebuild-cli',
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
