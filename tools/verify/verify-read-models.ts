// Prints whether the read models equal a fold of the services' Postgres logs; exit 1 when not.
//   node dist/tools/verify/verify-read-models.js [--json]
// Environment: DATABASE_URL, READ_SCHEMA (default `read`).
import { IsString, Matches } from 'class-validator';
import { DatabaseEnvironment, loadEnvironment } from '@vista/contracts';
import { createDatabase } from '@vista/db';
import { verifyReadModels } from '../../apps/projector/src/reconcile/verify-read-models.js';

class VerifyEnvironment {
  @IsString() @Matches(/^[a-z_][a-z0-9_]{0,30}$/, { message: 'must be a lower-case SQL identifier' }) READ_SCHEMA = 'read';
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(
      'usage: verify-read-models [--json]\n  Folds every service log and compares the result with the read schema.\n  Env: DATABASE_URL, READ_SCHEMA\n',
    );
    return 0;
  }
  let env: DatabaseEnvironment & VerifyEnvironment;
  try {
    env = loadEnvironment([DatabaseEnvironment, VerifyEnvironment], process.env);
  } catch (error) {
    process.stderr.write(`verify-read-models: ${(error as Error).message}\n`);
    return 2;
  }
  const db = createDatabase({ url: env.DATABASE_URL, poolMax: 2, applicationName: 'verify-read-models' });
  try {
    const verdict = await verifyReadModels(db, env.READ_SCHEMA);
    if (argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify(verdict)}\n`);
    } else {
      process.stdout.write(
        `${verdict.fold ? 'FOLD ok' : 'FOLD FAILED'}: ${verdict.events} events of ${verdict.schemas.join(', ') || 'no logs'} folded` +
          `${verdict.unfoldable > 0 ? ` (${verdict.unfoldable} unfoldable left out)` : ''}\n` +
          `${verdict.noDuplicates ? 'NODUP ok' : 'NODUP FAILED'}: ${verdict.appliedEvents} applied, ${verdict.markedEvents} distinct events marked\n`,
      );
      for (const d of verdict.differences) {
        process.stdout.write(`  ${d.table}: ${d.missing} rows missing or different, ${d.extra} rows extra or different; e.g. ${d.examples[0] ?? ''}\n`);
      }
    }
    return verdict.fold && verdict.noDuplicates ? 0 : 1;
  } catch (error) {
    process.stderr.write(`verify-read-models: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await db.destroy();
  }
}

process.exitCode = await main(process.argv.slice(2));
