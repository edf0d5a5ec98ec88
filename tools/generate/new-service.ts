// `npm run new:service -- <name>`: creates a service in the project's standard shape and wires it
// into every place that lists the services. Writes nothing unless every file and edit can be made.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPlan, formatPlan, GeneratorError, planService } from './service-generator.js';

// The repository root, whether this runs from dist/tools/generate or from tools/generate.
const here = dirname(fileURLToPath(import.meta.url));
const root = [resolve(here, '../../..'), resolve(here, '../..')].find((dir) => existsSync(join(dir, 'tools', 'generate', 'templates')));

const args = process.argv.slice(2);
if (args.length !== 1 || args[0]!.startsWith('-') || !root) {
  console.error('Usage: npm run new:service -- <kebab-case-name>   (e.g. npm run new:service -- lot-tracking)');
  process.exit(2);
}

try {
  const plan = await formatPlan(root, planService(root, join(root, 'tools', 'generate', 'templates'), args[0]!));
  applyPlan(root, plan);
  const { name, pascal } = plan.names;
  console.log(`created service ${name} on HTTP port ${plan.port}:`);
  for (const path of plan.files.keys()) console.log(`  + ${path}`);
  for (const path of plan.edits.keys()) console.log(`  ~ ${path}`);
  console.log(`
Next: npm run build && npm run typecheck && npm run lint, then
  node --experimental-vm-modules node_modules/jest/bin/jest.js apps/${name}
The service answers Describe${pascal} on NATS (<ns>.cmd.${name}.Describe${pascal}). Still by hand:
its events and commands in libs/contracts/src/${name}/, its tables after the event log in
apps/${name}/src/migrations/, gateway routes if it has a public API, README's service list,
and depends_on in docker-compose.yml if it needs another service up first.`);
} catch (error) {
  if (!(error instanceof GeneratorError)) throw error;
  console.error(`new:service: ${error.message}`);
  process.exit(1);
}
