import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** A name or a repository state the generator refuses; the message says what is wrong. */
export class GeneratorError extends Error {
  override readonly name = 'GeneratorError';
}

/** The spellings of one service name the templates use. */
export interface ServiceNames {
  /** `lot-tracking`: folders, files, NATS queue group, Nx project, k8s and compose names. */
  readonly name: string;
  /** `LotTracking`: classes and the command name. */
  readonly pascal: string;
  /** `lotTracking`: functions. */
  readonly camel: string;
  /** `LOT_TRACKING`: constants and environment variables. */
  readonly constant: string;
  /** `lot_tracking`: the Postgres schema. */
  readonly schema: string;
}

export interface ServicePlan {
  readonly names: ServiceNames;
  readonly port: number;
  /** New files, by path relative to the repository, with their content. */
  readonly files: ReadonlyMap<string, string>;
  /** Existing files with their new content. */
  readonly edits: ReadonlyMap<string, string>;
}

const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_NAME = 30;
/** Names taken by other things than services: schemas, infrastructure, k8s folders, bounded contexts. */
const RESERVED = new Set(['public', 'read', 'run', 'base', 'batch', 'nats', 'postgres', 'jaeger', 'prometheus', 'fixture', 'service', 'app']);

/** Splits a kebab-case name into the spellings the templates use; refuses anything else. */
export function serviceNames(name: string): ServiceNames {
  if (!KEBAB.test(name)) throw new GeneratorError(`"${name}" is not a kebab-case name (lower-case letters and digits, words joined by "-", e.g. lot-tracking)`);
  if (name.length > MAX_NAME) throw new GeneratorError(`"${name}" is longer than ${MAX_NAME} characters`);
  const words = name.split('-');
  const pascal = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return { name, pascal, camel: pascal[0]!.toLowerCase() + pascal.slice(1), constant: words.join('_').toUpperCase(), schema: words.join('_') };
}

/** Replaces the placeholders of a template (in a path or in a file's text). */
export function fill(template: string, names: ServiceNames, port: number): string {
  return template
    .replaceAll('__name__', names.name)
    .replaceAll('__Name__', names.pascal)
    .replaceAll('__camel__', names.camel)
    .replaceAll('__NAME__', names.constant)
    .replaceAll('__schema__', names.schema)
    .replaceAll('__port__', String(port));
}

/** The next free HTTP port: one above the highest any service (or the local SSO provider) uses by default. */
export function nextFreePort(root: string): number {
  const used: string[] = [];
  const collect = (text: string, pattern: RegExp) => {
    for (const match of text.matchAll(pattern)) used.push(match[1]!);
  };
  collect(read(root, 'tools/start/config.ts'), /_HTTP_PORT: '(\d+)'/g);
  collect(read(root, 'docker-compose.yml'), /HTTP_PORT: '(\d+)'/g);
  // The local OpenID Connect provider of `npm start` (and compose) listens beside the services.
  collect(read(root, 'docker-compose.yml'), /SSO_PORT: '(\d+)'/g);
  for (const app of readdirSync(join(root, 'apps'))) {
    const configDir = join(root, 'apps', app, 'src', 'config');
    if (!existsSync(configDir)) continue;
    for (const file of readdirSync(configDir)) collect(readFileSync(join(configDir, file), 'utf8'), /HTTP_PORT = (\d[\d_]*)/g);
  }
  const numbers = used.map((p) => Number(p.replaceAll('_', ''))).filter((p) => Number.isInteger(p) && p > 0);
  if (numbers.length === 0) throw new GeneratorError('found no HTTP port of an existing service to count from');
  return Math.max(...numbers) + 1;
}

/**
 * Works out every file and edit a new service needs without touching the disk; refuses a name
 * that is not kebab-case, exists already or collides, and an edit whose anchor is missing.
 */
export function planService(root: string, templatesDir: string, name: string): ServicePlan {
  const names = serviceNames(name);
  refuseCollisions(root, names);
  const port = nextFreePort(root);

  const files = new Map<string, string>();
  const addTree = (from: string, to: string) => {
    for (const path of listFiles(join(templatesDir, from))) {
      const target = join(to, fill(relative(join(templatesDir, from), path), names, port).replace(/\.tpl$/, ''));
      files.set(target, fill(readFileSync(path, 'utf8'), names, port));
    }
  };
  addTree('app', `apps/${name}`);
  addTree('contracts', `libs/contracts/src/${name}`);
  addTree('k8s', `k8s/${name}`);
  if (files.size === 0) throw new GeneratorError(`no templates found in ${templatesDir}`);
  for (const path of files.keys()) {
    if (existsSync(join(root, path))) throw new GeneratorError(`${path} exists already; nothing was written`);
  }

  const snippet = (file: string) => fill(readFileSync(join(templatesDir, 'snippets', file), 'utf8'), names, port);
  const { constant } = names;
  const q = `'${name}'`;
  const portVariable = quoteKey(name) === name ? `PORT_VARIABLES.${name}` : `PORT_VARIABLES[${q}]`;
  const edits = new Map<string, string>();
  const edit = (path: string, ...changes: ((text: string) => string)[]) => {
    edits.set(
      path,
      changes.reduce((text, change) => change(text), edits.get(path) ?? read(root, path)),
    );
  };

  edit('libs/contracts/src/index.ts', (t) => `${t.trimEnd()}\nexport * from './${name}/describe-${name}.command.js';\n`);
  edit('libs/contracts/src/define-event.ts', addToUnion(/export type BoundedContext = ([^;]+);/, q));
  edit('libs/contracts/src/envelope.ts', addToList(/const CONTEXTS = new Set\(\[([^\]]+)\]\);/, q));
  edit('libs/testing/src/platform-processes.ts', addToUnion(/export type ServiceName = ([^;]+);/, q));
  edit(
    'tools/start/config.ts',
    addToUnion(/export type ServiceName = ([^;]+);/, q),
    insertAfterLast(/^ {2}[A-Z_]+_HTTP_PORT: '\d+',$/m, `  ${constant}_HTTP_PORT: '${port}',`),
    insertAfterLast(/^ {2}[a-z-']+: '[A-Z_]+_HTTP_PORT',$/m, `  ${quoteKey(name)}: '${constant}_HTTP_PORT',`),
    insertAfterLast(/^ {4}[a-z-']+: parsePort\(PORT_VARIABLES.+\),$/m, `    ${quoteKey(name)}: parsePort(${portVariable}, read(${portVariable})),`),
    insertAfterLast(
      /^ {2}[A-Z_]+_HTTP_PORT +\[\$\{DEFAULTS\.[A-Z_]+_HTTP_PORT\}\]$/m,
      `  ${`${constant}_HTTP_PORT `.padEnd(21)}[\${DEFAULTS.${constant}_HTTP_PORT}]`,
    ),
  );
  // The object is on one line until it outgrows the print width, then one key a line (with a trailing comma).
  edit('tools/start/config.spec.ts', (t) => replaceOnce(t, /(expect\(config\.ports\)\.toEqual\(\{[^}]*?),?(\s*\}\);)/, `$1, ${quoteKey(name)}: ${port}$2`));
  // New services start before the projector and the gateway, and stop before the projector.
  for (const path of ['tools/start/services.ts', 'tools/start/services.spec.ts']) {
    edit(path, (t) => replaceAll(t, /^(.*(?:START_ORDER|STOP_ORDER).*\[.*?)'projector'/gm, `$1${q}, 'projector'`, 2));
  }
  edit('package.json', (t) => replaceOnce(t, /("migrate": "[^"]*)"/, `$1 && node dist/apps/${name}/src/main.js migrate"`));
  edit('docker-compose.yml', (t) => replaceOnce(t, /^ {2}gateway:$/m, `${snippet('docker-compose.yml.tpl')}  gateway:`));
  edit('deploy/prometheus.yml', insertAfterLast(/^ {8}labels: \{ service: [a-z-]+ \}$/m, snippet('prometheus.yml.tpl').trimEnd()));
  edit('deploy/Dockerfile', (t) => replaceOnce(t, /(SERVICE=<[a-z|-]+)>/, `$1|${name}>`));
  edit('k8s/kustomization.yaml', (t) => replaceOnce(t, /^ {2}- gateway$/m, `  - ${name}\n  - gateway`));

  return { names, port, files, edits };
}

/**
 * Formats every file of a plan with the repository's Prettier settings, so the generated code looks
 * the same whatever the length of the name. Prettier is loaded here only: the generator runs from a
 * development checkout, never in a service's image.
 */
export async function formatPlan(root: string, plan: ServicePlan): Promise<ServicePlan> {
  const prettier = await import('prettier');
  const format = async (entries: ReadonlyMap<string, string>) => {
    const formatted = new Map<string, string>();
    for (const [path, content] of entries) {
      const filepath = join(root, path);
      const options = await prettier.resolveConfig(filepath);
      const { inferredParser } = await prettier.getFileInfo(filepath);
      formatted.set(path, inferredParser ? await prettier.format(content, { ...options, filepath }) : content);
    }
    return formatted;
  };
  return { ...plan, files: await format(plan.files), edits: await format(plan.edits) };
}

/** Writes a plan: new files only where nothing exists, then the edits. */
export function applyPlan(root: string, plan: ServicePlan): void {
  for (const [path, content] of plan.files) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    // 'wx' fails rather than overwrite a file that appeared since planning.
    writeFileSync(target, content, { flag: 'wx' });
  }
  for (const [path, content] of plan.edits) writeFileSync(join(root, path), content);
}

function refuseCollisions(root: string, names: ServiceNames): void {
  const { name, pascal, constant } = names;
  if (RESERVED.has(name)) throw new GeneratorError(`"${name}" is reserved (a schema, an infrastructure service or a k8s folder); choose another name`);
  for (const path of [`apps/${name}`, `k8s/${name}`, `libs/contracts/src/${name}`]) {
    if (existsSync(join(root, path))) throw new GeneratorError(`${path} exists already: service "${name}" is there; nothing was written`);
  }
  if (existsSync(join(root, 'libs', name))) throw new GeneratorError(`"${name}" is the name of the library libs/${name}; choose another name`);
  if (new RegExp(`^ {2}${name}:$`, 'm').test(read(root, 'docker-compose.yml'))) {
    throw new GeneratorError(`docker-compose.yml already has a service "${name}"; choose another name`);
  }
  if (read(root, 'tools/start/config.ts').includes(`${constant}_HTTP_PORT`))
    throw new GeneratorError(`tools/start/config.ts already has ${constant}_HTTP_PORT`);
  if (read(root, 'libs/contracts/src/index.ts').includes(`describe-${name}.command`) || existsSync(join(root, 'apps', names.schema))) {
    throw new GeneratorError(`"${name}" collides with an existing service`);
  }
  const contracts = listFiles(join(root, 'libs/contracts/src'));
  if (contracts.some((path) => readFileSync(path, 'utf8').includes(`'Describe${pascal}'`))) {
    throw new GeneratorError(`the command Describe${pascal} exists already in libs/contracts`);
  }
}

function read(root: string, path: string): string {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch (error) {
    throw new GeneratorError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? listFiles(path) : [path];
    });
}

/** A property key as the code writes it: bare when it is an identifier. */
function quoteKey(name: string): string {
  return /^[a-z][a-z0-9]*$/.test(name) ? name : `'${name}'`;
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new GeneratorError(`found no ${pattern} to edit; has the file changed shape?`);
  return text.replace(pattern, replacement);
}

function replaceAll(text: string, pattern: RegExp, replacement: string, expected: number): string {
  const found = [...text.matchAll(pattern)].length;
  if (found !== expected) throw new GeneratorError(`expected ${expected} matches of ${pattern}, found ${found}; has the file changed shape?`);
  return text.replace(pattern, replacement);
}

/** Adds a member to a string-literal union type (no-op when it is there). */
function addToUnion(pattern: RegExp, member: string) {
  return (text: string) => {
    const match = pattern.exec(text);
    if (!match) throw new GeneratorError(`found no ${pattern} to edit; has the file changed shape?`);
    if (match[1]!.split('|').some((m) => m.trim() === member)) return text;
    return text.replace(match[0], match[0].replace(match[1]!, `${match[1]} | ${member}`));
  };
}

/** Adds an element to an array literal of strings (no-op when it is there). */
function addToList(pattern: RegExp, element: string) {
  return (text: string) => {
    const match = pattern.exec(text);
    if (!match) throw new GeneratorError(`found no ${pattern} to edit; has the file changed shape?`);
    if (match[1]!.split(',').some((m) => m.trim() === element)) return text;
    return text.replace(match[0], match[0].replace(match[1]!, `${match[1]}, ${element}`));
  };
}

/** Inserts a line after the last line matching `pattern` (a multiline pattern for one line). */
function insertAfterLast(pattern: RegExp, line: string) {
  return (text: string) => {
    const global = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);
    const last = [...text.matchAll(global)].at(-1);
    if (!last) throw new GeneratorError(`found no ${pattern} to edit; has the file changed shape?`);
    const at = last.index + last[0].length;
    return `${text.slice(0, at)}\n${line}${text.slice(at)}`;
  };
}
