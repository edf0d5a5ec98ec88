import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { applyPlan, formatPlan, GeneratorError, nextFreePort, planService, serviceNames } from './service-generator.js';

const TEMPLATES = fileURLToPath(new URL('./templates', import.meta.url));
const REPO = resolve(TEMPLATES, '../../..');
/** What the generator reads or edits, copied from the repository as it is. */
const COPIED = [
  'package.json',
  'docker-compose.yml',
  'deploy',
  'k8s/kustomization.yaml',
  'libs/contracts/src',
  'libs/testing/src/platform-processes.ts',
  'tools/start/config.ts',
  'tools/start/config.spec.ts',
  'tools/start/services.ts',
  'tools/start/services.spec.ts',
];

describe('service generator', () => {
  let root: string;
  const at = (path: string) => join(root, path);
  const text = (path: string) => readFileSync(at(path), 'utf8');
  const generate = (name: string) => {
    const plan = planService(root, TEMPLATES, name);
    applyPlan(root, plan);
    return plan;
  };
  /** Every file under the copy with its content, to show a refusal wrote nothing. */
  const snapshot = (dir = root): Record<string, string> =>
    Object.fromEntries(
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        return entry.isDirectory() ? Object.entries(snapshot(path)) : [[path, readFileSync(path, 'utf8')]];
      }),
    );

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'vista-generate-'));
    for (const path of COPIED) cpSync(join(REPO, path), at(path), { recursive: true });
    for (const app of readdirSync(join(REPO, 'apps'))) {
      cpSync(join(REPO, 'apps', app, 'project.json'), at(`apps/${app}/project.json`));
      const config = join(REPO, 'apps', app, 'src', 'config');
      if (existsSync(config)) cpSync(config, at(`apps/${app}/src/config`), { recursive: true });
    }
    for (const lib of readdirSync(join(REPO, 'libs'))) mkdirSync(at(`libs/${lib}`), { recursive: true });
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('spells a kebab-case name for files, classes, functions, constants and the schema', () => {
    expect(serviceNames('sample-ledger')).toEqual({
      name: 'sample-ledger',
      pascal: 'SampleLedger',
      camel: 'sampleLedger',
      constant: 'SAMPLE_LEDGER',
      schema: 'sample_ledger',
    });
  });

  it.each(['SampleLedger', 'sample_ledger', 'sample--ledger', '-sample', 'sample-', '1sample', 'sample ledger', '', 'a'.repeat(31)])(
    'refuses the name %j',
    (name) => {
      expect(() => planService(root, TEMPLATES, name)).toThrow(GeneratorError);
    },
  );

  it('says what a kebab-case name is when refusing one', () => {
    expect(() => planService(root, TEMPLATES, 'SampleLedger')).toThrow(/"SampleLedger" is not a kebab-case name/);
  });

  it.each([
    ['doe', /apps\/doe exists already/],
    ['gateway', /apps\/gateway exists already/],
    ['bus', /the library libs\/bus/],
    ['postgres', /reserved/],
    ['read', /reserved/],
  ])('refuses %s, which exists or collides', (name, message) => {
    expect(() => planService(root, TEMPLATES, name)).toThrow(message);
  });

  it('takes the port after the highest one any service uses', () => {
    expect(nextFreePort(root)).toBeGreaterThan(3105);
    mkdirSync(at('apps/other/src/config'), { recursive: true });
    writeFileSync(at('apps/other/src/config/other.config.ts'), 'export class OtherEnvironment {\n  HTTP_PORT = 3_990;\n}\n');
    expect(nextFreePort(root)).toBe(3991);
    writeFileSync(at('docker-compose.yml'), text('docker-compose.yml').replace("SSO_PORT: '3108'", "SSO_PORT: '3995'"));
    expect(nextFreePort(root)).toBe(3996);
  });

  it('creates the service, its command contract and its k8s manifests with every placeholder filled', () => {
    const port = nextFreePort(root);
    const plan = generate('sample-ledger');

    expect([...plan.files.keys()].sort()).toEqual([
      'apps/sample-ledger/project.json',
      'apps/sample-ledger/src/app.module.ts',
      'apps/sample-ledger/src/config/sample-ledger.config.ts',
      'apps/sample-ledger/src/controllers/sample-ledger.commands.ts',
      'apps/sample-ledger/src/main.ts',
      'apps/sample-ledger/src/migrations/sample-ledger.migrations.ts',
      'apps/sample-ledger/src/repositories/sample-ledger-log.repository.ts',
      'apps/sample-ledger/src/sample-ledger.app.ts',
      'apps/sample-ledger/src/use-cases/describe-sample-ledger/describe-sample-ledger.int.spec.ts',
      'apps/sample-ledger/src/use-cases/describe-sample-ledger/describe-sample-ledger.use-case.spec.ts',
      'apps/sample-ledger/src/use-cases/describe-sample-ledger/describe-sample-ledger.use-case.ts',
      'k8s/sample-ledger/configmap.yaml',
      'k8s/sample-ledger/deployment.yaml',
      'k8s/sample-ledger/kustomization.yaml',
      'k8s/sample-ledger/pdb.yaml',
      'k8s/sample-ledger/service.yaml',
      'libs/contracts/src/sample-ledger/describe-sample-ledger.command.ts',
    ]);
    for (const path of plan.files.keys()) {
      expect(existsSync(at(path))).toBe(true);
      expect(text(path)).not.toMatch(/__[A-Za-z]+__/);
    }
    expect(JSON.parse(text('apps/sample-ledger/project.json'))).toMatchObject({ name: 'sample-ledger', projectType: 'application', tags: ['type:app'] });
    expect(plan.port).toBe(port);
    expect(text('apps/sample-ledger/src/config/sample-ledger.config.ts')).toContain(`HTTP_PORT = ${port};`);
    expect(text('apps/sample-ledger/src/config/sample-ledger.config.ts')).toContain("export const SAMPLE_LEDGER_SCHEMA = 'sample_ledger';");
    expect(text('apps/sample-ledger/src/main.ts')).toContain("startTracing('sample-ledger'");
    expect(text('apps/sample-ledger/src/controllers/sample-ledger.commands.ts')).toContain('@OnCommand(DescribeSampleLedger)');
    expect(text('libs/contracts/src/sample-ledger/describe-sample-ledger.command.ts')).toContain("context: 'sample-ledger'");
    expect(text('k8s/sample-ledger/configmap.yaml')).toContain(`HTTP_PORT: '${port}'`);
    expect(text('k8s/sample-ledger/deployment.yaml')).toContain(`containerPort: ${port}`);
  });

  it('lists the service wherever the services are listed', () => {
    const { port } = generate('sample-ledger');

    expect(text('libs/contracts/src/index.ts')).toContain("export * from './sample-ledger/describe-sample-ledger.command.js';");
    expect(text('libs/contracts/src/define-event.ts')).toMatch(/export type BoundedContext = [^;]*\| 'sample-ledger';/);
    expect(text('libs/contracts/src/envelope.ts')).toMatch(/const CONTEXTS = new Set\(\[[^\]]*'sample-ledger'\]\)/);
    expect(text('libs/testing/src/platform-processes.ts')).toMatch(/export type ServiceName = [^;]*\| 'sample-ledger';/);
    const start = text('tools/start/config.ts');
    expect(start).toMatch(/export type ServiceName = [^;]*\| 'sample-ledger';/);
    expect(start).toContain(`SAMPLE_LEDGER_HTTP_PORT: '${port}',`);
    expect(start).toContain("'sample-ledger': 'SAMPLE_LEDGER_HTTP_PORT',");
    expect(start).toContain("'sample-ledger': parsePort(PORT_VARIABLES['sample-ledger'], read(PORT_VARIABLES['sample-ledger'])),");
    expect(start).toContain('SAMPLE_LEDGER_HTTP_PORT [${DEFAULTS.SAMPLE_LEDGER_HTTP_PORT}]');
    expect(text('tools/start/config.spec.ts')).toMatch(
      new RegExp(`expect\\(config\\.ports\\)\\.toEqual\\(\\{\\s*gateway: 3000,[^}]*, 'sample-ledger': ${port}\\s*\\}\\);`),
    );
    for (const path of ['tools/start/services.ts', 'tools/start/services.spec.ts']) {
      expect(text(path)).toMatch(/START_ORDER.*\['deck', [^\]]*'sample-ledger', 'projector', 'gateway'\]/);
      expect(text(path)).toMatch(/STOP_ORDER.*\['gateway', [^\]]*'sample-ledger', 'projector'\]/);
    }
    expect(JSON.parse(text('package.json')).scripts.migrate).toMatch(/ && node dist\/apps\/sample-ledger\/src\/main\.js migrate$/);
    const compose = text('docker-compose.yml');
    expect(compose).toMatch(
      new RegExp(`\n {2}sample-ledger:\n {4}<<: \\*service\n[\\s\\S]*?SERVICE: sample-ledger\n[\\s\\S]*?HTTP_PORT: '${port}'\n[\\s\\S]*?\n {2}gateway:\n`),
    );
    expect(text('deploy/prometheus.yml')).toContain(`- targets: ['sample-ledger:${port}']\n        labels: { service: sample-ledger }\n`);
    expect(text('deploy/Dockerfile')).toMatch(/SERVICE=<gateway\|[a-z|-]*\|sample-ledger>/);
    expect(text('k8s/kustomization.yaml')).toContain('  - sample-ledger\n  - gateway\n');
  });

  it('writes a plain name as an identifier key, and gives the next service the next port', () => {
    // A bounded context named before its service exists (as auth and metrics are) is not added twice.
    writeFileSync(at('libs/contracts/src/define-event.ts'), text('libs/contracts/src/define-event.ts').replace("'run' |", "'run' | 'tally' |"));
    const first = generate('sample-ledger');
    const plan = generate('tally');

    expect(plan.port).toBe(first.port + 1);
    const start = text('tools/start/config.ts');
    expect(start).toContain("  tally: 'TALLY_HTTP_PORT',");
    expect(start).toContain('    tally: parsePort(PORT_VARIABLES.tally, read(PORT_VARIABLES.tally)),');
    expect(text('libs/contracts/src/define-event.ts').match(/'tally'/g)).toHaveLength(1);
    expect(text('tools/start/config.spec.ts')).toMatch(new RegExp(`'sample-ledger': ${first.port}, tally: ${plan.port}\\s*\\}\\);`));
  });

  it('refuses to generate a service a second time and leaves every file as it was', () => {
    generate('sample-ledger');
    const before = snapshot();

    expect(() => generate('sample-ledger')).toThrow(/apps\/sample-ledger exists already/);
    expect(snapshot()).toEqual(before);
  });

  it('writes nothing when part of the service is there already', () => {
    mkdirSync(at('k8s/sample-ledger'));
    writeFileSync(at('k8s/sample-ledger/deployment.yaml'), 'kind: Deployment\n');
    const before = snapshot();

    expect(() => generate('sample-ledger')).toThrow(/k8s\/sample-ledger exists already/);
    expect(snapshot()).toEqual(before);
  });

  it('writes nothing when a file it edits has changed shape, naming the pattern it missed', () => {
    writeFileSync(at('k8s/kustomization.yaml'), text('k8s/kustomization.yaml').replace('  - gateway\n', ''));
    const before = snapshot();

    expect(() => generate('sample-ledger')).toThrow(/found no .*gateway.* to edit/);
    expect(snapshot()).toEqual(before);
    expect(existsSync(at('apps/sample-ledger'))).toBe(false);
  });

  it('formats what it writes as the repository does, whatever the length of the name', async () => {
    const plan = await formatPlan(REPO, planService(root, TEMPLATES, 'sample-ledger-with-long-name'));
    const options = await prettier.resolveConfig(join(REPO, 'package.json'));

    for (const [path, content] of [...plan.files, ...plan.edits]) {
      const { inferredParser } = await prettier.getFileInfo(join(REPO, path));
      if (inferredParser)
        expect({ path, formatted: await prettier.check(content, { ...options, filepath: join(REPO, path) }) }).toEqual({ path, formatted: true });
    }
  });

  it('refuses a command name another contract has taken', () => {
    const taken = at('libs/contracts/src/other/describe-sample-ledger.command.ts');
    mkdirSync(dirname(taken), { recursive: true });
    writeFileSync(taken, "export const X = { name: 'DescribeSampleLedger' };\n");

    expect(() => planService(root, TEMPLATES, 'sample-ledger')).toThrow(/DescribeSampleLedger exists already/);
  });
});
