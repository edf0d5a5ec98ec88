import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPlan, GeneratorError, nextFreePort, planService, serviceNames } from './service-generator.js';

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
    expect(serviceNames('lot-tracking')).toEqual({
      name: 'lot-tracking',
      pascal: 'LotTracking',
      camel: 'lotTracking',
      constant: 'LOT_TRACKING',
      schema: 'lot_tracking',
    });
  });

  it.each(['LotTracking', 'lot_tracking', 'lot--tracking', '-lot', 'lot-', '1lot', 'lot tracking', '', 'a'.repeat(31)])('refuses the name %j', (name) => {
    expect(() => planService(root, TEMPLATES, name)).toThrow(GeneratorError);
  });

  it('says what a kebab-case name is when refusing one', () => {
    expect(() => planService(root, TEMPLATES, 'LotTracking')).toThrow(/"LotTracking" is not a kebab-case name/);
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
    expect(nextFreePort(root)).toBe(3106);
  });

  it('creates the service, its command contract and its k8s manifests with every placeholder filled', () => {
    const plan = generate('lot-tracking');

    expect(plan.port).toBe(3106);
    expect([...plan.files.keys()].sort()).toEqual([
      'apps/lot-tracking/project.json',
      'apps/lot-tracking/src/app.module.ts',
      'apps/lot-tracking/src/config/lot-tracking.config.ts',
      'apps/lot-tracking/src/controllers/lot-tracking.commands.ts',
      'apps/lot-tracking/src/lot-tracking.app.ts',
      'apps/lot-tracking/src/main.ts',
      'apps/lot-tracking/src/migrations/lot-tracking.migrations.ts',
      'apps/lot-tracking/src/repositories/lot-tracking-log.repository.ts',
      'apps/lot-tracking/src/use-cases/describe-lot-tracking/describe-lot-tracking.int.spec.ts',
      'apps/lot-tracking/src/use-cases/describe-lot-tracking/describe-lot-tracking.use-case.spec.ts',
      'apps/lot-tracking/src/use-cases/describe-lot-tracking/describe-lot-tracking.use-case.ts',
      'k8s/lot-tracking/configmap.yaml',
      'k8s/lot-tracking/deployment.yaml',
      'k8s/lot-tracking/kustomization.yaml',
      'k8s/lot-tracking/pdb.yaml',
      'k8s/lot-tracking/service.yaml',
      'libs/contracts/src/lot-tracking/describe-lot-tracking.command.ts',
    ]);
    for (const path of plan.files.keys()) {
      expect(existsSync(at(path))).toBe(true);
      expect(text(path)).not.toMatch(/__[A-Za-z]+__/);
    }
    expect(JSON.parse(text('apps/lot-tracking/project.json'))).toMatchObject({ name: 'lot-tracking', projectType: 'application', tags: ['type:app'] });
    expect(text('apps/lot-tracking/src/config/lot-tracking.config.ts')).toContain('HTTP_PORT = 3106;');
    expect(text('apps/lot-tracking/src/config/lot-tracking.config.ts')).toContain("export const LOT_TRACKING_SCHEMA = 'lot_tracking';");
    expect(text('apps/lot-tracking/src/main.ts')).toContain("startTracing('lot-tracking'");
    expect(text('apps/lot-tracking/src/controllers/lot-tracking.commands.ts')).toContain('@OnCommand(DescribeLotTracking)');
    expect(text('libs/contracts/src/lot-tracking/describe-lot-tracking.command.ts')).toContain("context: 'lot-tracking'");
    expect(text('k8s/lot-tracking/configmap.yaml')).toContain("HTTP_PORT: '3106'");
    expect(text('k8s/lot-tracking/deployment.yaml')).toMatch(/containerPort: 3106/);
  });

  it('lists the service wherever the services are listed', () => {
    generate('lot-tracking');

    expect(text('libs/contracts/src/index.ts')).toContain("export * from './lot-tracking/describe-lot-tracking.command.js';");
    expect(text('libs/contracts/src/define-event.ts')).toMatch(/export type BoundedContext = [^;]*\| 'lot-tracking';/);
    expect(text('libs/contracts/src/envelope.ts')).toMatch(/const CONTEXTS = new Set\(\[[^\]]*'lot-tracking'\]\)/);
    expect(text('libs/testing/src/platform-processes.ts')).toMatch(/export type ServiceName = [^;]*\| 'lot-tracking';/);
    const start = text('tools/start/config.ts');
    expect(start).toMatch(/export type ServiceName = [^;]*\| 'lot-tracking';/);
    expect(start).toContain("LOT_TRACKING_HTTP_PORT: '3106',");
    expect(start).toContain("'lot-tracking': 'LOT_TRACKING_HTTP_PORT',");
    expect(start).toContain("'lot-tracking': parsePort(PORT_VARIABLES['lot-tracking'], read(PORT_VARIABLES['lot-tracking'])),");
    expect(start).toContain('LOT_TRACKING_HTTP_PORT [${DEFAULTS.LOT_TRACKING_HTTP_PORT}]');
    expect(text('tools/start/config.spec.ts')).toContain("optimize: 3105, 'lot-tracking': 3106 });");
    for (const path of ['tools/start/services.ts', 'tools/start/services.spec.ts']) {
      expect(text(path)).toContain("'optimize', 'lot-tracking', 'projector', 'gateway']");
      expect(text(path)).toContain("['gateway', 'deck', 'doe', 'ml', 'optimize', 'lot-tracking', 'projector']");
    }
    expect(JSON.parse(text('package.json')).scripts.migrate).toMatch(/ && node dist\/apps\/lot-tracking\/src\/main\.js migrate$/);
    const compose = text('docker-compose.yml');
    expect(compose).toMatch(/\n {2}lot-tracking:\n {4}<<: \*service\n[\s\S]*?SERVICE: lot-tracking\n[\s\S]*?HTTP_PORT: '3106'\n[\s\S]*?\n {2}gateway:\n/);
    expect(text('deploy/prometheus.yml')).toContain("- targets: ['lot-tracking:3106']\n        labels: { service: lot-tracking }\n");
    expect(text('deploy/Dockerfile')).toContain('SERVICE=<gateway|deck|doe|ml|optimize|projector|lot-tracking>');
    expect(text('k8s/kustomization.yaml')).toContain('  - lot-tracking\n  - gateway\n');
  });

  it('writes a plain name as an identifier key, and gives the next service the next port', () => {
    generate('lot-tracking');
    const plan = generate('metrics');

    expect(plan.port).toBe(3107);
    const start = text('tools/start/config.ts');
    expect(start).toContain("  metrics: 'METRICS_HTTP_PORT',");
    expect(start).toContain('    metrics: parsePort(PORT_VARIABLES.metrics, read(PORT_VARIABLES.metrics)),');
    // metrics is a bounded context already: it is not added twice.
    expect(text('libs/contracts/src/define-event.ts').match(/'metrics'/g)).toHaveLength(1);
    expect(text('tools/start/config.spec.ts')).toContain("'lot-tracking': 3106, metrics: 3107 });");
  });

  it('refuses to generate a service a second time and leaves every file as it was', () => {
    generate('lot-tracking');
    const before = snapshot();

    expect(() => generate('lot-tracking')).toThrow(/apps\/lot-tracking exists already/);
    expect(snapshot()).toEqual(before);
  });

  it('writes nothing when part of the service is there already', () => {
    mkdirSync(at('k8s/lot-tracking'));
    writeFileSync(at('k8s/lot-tracking/deployment.yaml'), 'kind: Deployment\n');
    const before = snapshot();

    expect(() => generate('lot-tracking')).toThrow(/k8s\/lot-tracking exists already/);
    expect(snapshot()).toEqual(before);
  });

  it('writes nothing when a file it edits has changed shape, naming the pattern it missed', () => {
    writeFileSync(at('k8s/kustomization.yaml'), text('k8s/kustomization.yaml').replace('  - gateway\n', ''));
    const before = snapshot();

    expect(() => generate('lot-tracking')).toThrow(/found no .*gateway.* to edit/);
    expect(snapshot()).toEqual(before);
    expect(existsSync(at('apps/lot-tracking'))).toBe(false);
  });

  it('refuses a command name another contract has taken', () => {
    const taken = at('libs/contracts/src/lot/describe-lot-tracking.command.ts');
    mkdirSync(dirname(taken), { recursive: true });
    writeFileSync(taken, "export const X = { name: 'DescribeLotTracking' };\n");

    expect(() => planService(root, TEMPLATES, 'lot-tracking')).toThrow(/DescribeLotTracking exists already/);
  });
});
