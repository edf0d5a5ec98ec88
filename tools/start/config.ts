import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** A bad environment variable or command-line flag; the message names it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type ServiceName = 'deck' | 'doe' | 'ml' | 'optimize' | 'projector' | 'gateway' | 'auth' | 'metrics' | 'lot-tracking';

export interface PostgresTarget {
  /** DATABASE_URL as given, handed unchanged to the services. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

export interface NatsTarget {
  /** NATS_URL as given, handed unchanged to the services. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
}

export interface StartConfig {
  readonly help: boolean;
  /** Only make sure NATS and Postgres run; start no service. */
  readonly infraOnly: boolean;
  readonly repoRoot: string;
  /** Where a locally started nats-server and Postgres keep their data and logs. */
  readonly dataDir: string;
  readonly postgres: PostgresTarget;
  readonly nats: NatsTarget;
  readonly busNamespace: string;
  readonly httpHost: string;
  readonly ports: Readonly<Record<ServiceName, number>>;
  /** The caller's environment, passed on to every service (LOG_LEVEL, OTEL_*, service settings). */
  readonly inheritedEnv: Readonly<Record<string, string>>;
}

export const DEFAULTS = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/vista',
  NATS_URL: 'nats://127.0.0.1:4222',
  VISTA_BUS_NAMESPACE: 'vista',
  HTTP_HOST: '127.0.0.1',
  GATEWAY_HTTP_PORT: '3000',
  DECK_HTTP_PORT: '3101',
  PROJECTOR_HTTP_PORT: '3102',
  DOE_HTTP_PORT: '3103',
  ML_HTTP_PORT: '3104',
  OPTIMIZE_HTTP_PORT: '3105',
  AUTH_HTTP_PORT: '3106',
  METRICS_HTTP_PORT: '3107',
  LOT_TRACKING_HTTP_PORT: '3109',
} as const;

/** Each service's HTTP port comes from its own variable: HTTP_PORT is set per child process. */
const PORT_VARIABLES: Readonly<Record<ServiceName, keyof typeof DEFAULTS>> = {
  gateway: 'GATEWAY_HTTP_PORT',
  deck: 'DECK_HTTP_PORT',
  projector: 'PROJECTOR_HTTP_PORT',
  doe: 'DOE_HTTP_PORT',
  ml: 'ML_HTTP_PORT',
  optimize: 'OPTIMIZE_HTTP_PORT',
  auth: 'AUTH_HTTP_PORT',
  metrics: 'METRICS_HTTP_PORT',
  'lot-tracking': 'LOT_TRACKING_HTTP_PORT',
};

export const USAGE = `Usage: node dist/tools/start/start.js [--infra-only]

Starts the Vista platform on this machine: NATS (JetStream) and Postgres at their
configured URLs, started here when nothing answers there, then deck, doe, ml, optimize, projector and
gateway.

  --infra-only   only check or start NATS and Postgres, then wait for Ctrl-C
  -h, --help     show this text

Environment (defaults in brackets):
  DATABASE_URL         [${DEFAULTS.DATABASE_URL}]
  NATS_URL             [${DEFAULTS.NATS_URL}]
  VISTA_BUS_NAMESPACE  [${DEFAULTS.VISTA_BUS_NAMESPACE}]
  HTTP_HOST            [${DEFAULTS.HTTP_HOST}]
  GATEWAY_HTTP_PORT    [${DEFAULTS.GATEWAY_HTTP_PORT}]
  DECK_HTTP_PORT       [${DEFAULTS.DECK_HTTP_PORT}]
  PROJECTOR_HTTP_PORT  [${DEFAULTS.PROJECTOR_HTTP_PORT}]
  DOE_HTTP_PORT        [${DEFAULTS.DOE_HTTP_PORT}]
  ML_HTTP_PORT         [${DEFAULTS.ML_HTTP_PORT}]
  OPTIMIZE_HTTP_PORT   [${DEFAULTS.OPTIMIZE_HTTP_PORT}]
  AUTH_HTTP_PORT       [${DEFAULTS.AUTH_HTTP_PORT}]
  METRICS_HTTP_PORT    [${DEFAULTS.METRICS_HTTP_PORT}]
  LOT_TRACKING_HTTP_PORT [${DEFAULTS.LOT_TRACKING_HTTP_PORT}]
  VISTA_DATA_DIR       [<repo>/.data]  data and logs of a locally started NATS and Postgres
Every other variable (LOG_LEVEL, OTEL_EXPORTER_OTLP_ENDPOINT, DECK_*, DOE_*, ML_*, OPTIMIZE_*, PROJECTOR_*, ...) is
passed on to the services unchanged.`;

/** Reads and validates the runner's configuration once; throws ConfigError naming the culprit. */
export function loadStartConfig(env: Readonly<Record<string, string | undefined>>, argv: readonly string[], repoRoot: string): StartConfig {
  const flags = parseFlags(argv);
  const read = (name: keyof typeof DEFAULTS): string => {
    const value = env[name]?.trim();
    return value ? value : DEFAULTS[name];
  };

  const ports = {
    gateway: parsePort(PORT_VARIABLES.gateway, read(PORT_VARIABLES.gateway)),
    deck: parsePort(PORT_VARIABLES.deck, read(PORT_VARIABLES.deck)),
    projector: parsePort(PORT_VARIABLES.projector, read(PORT_VARIABLES.projector)),
    doe: parsePort(PORT_VARIABLES.doe, read(PORT_VARIABLES.doe)),
    ml: parsePort(PORT_VARIABLES.ml, read(PORT_VARIABLES.ml)),
    optimize: parsePort(PORT_VARIABLES.optimize, read(PORT_VARIABLES.optimize)),
    auth: parsePort(PORT_VARIABLES.auth, read(PORT_VARIABLES.auth)),
    metrics: parsePort(PORT_VARIABLES.metrics, read(PORT_VARIABLES.metrics)),
    'lot-tracking': parsePort(PORT_VARIABLES['lot-tracking'], read(PORT_VARIABLES['lot-tracking'])),
  };
  const taken = new Map<number, ServiceName>();
  for (const [service, port] of Object.entries(ports) as [ServiceName, number][]) {
    const other = taken.get(port);
    if (other) {
      throw new ConfigError(`${PORT_VARIABLES[service]}=${port} is already the port of ${other} (${PORT_VARIABLES[other]}); give each service its own port`);
    }
    taken.set(port, service);
  }

  const dataDirValue = env.VISTA_DATA_DIR?.trim();
  const dataDir = dataDirValue ? resolve(repoRoot, dataDirValue) : join(repoRoot, '.data');

  const inheritedEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) inheritedEnv[key] = value;
  }

  return {
    help: flags.help,
    infraOnly: flags.infraOnly,
    repoRoot,
    dataDir,
    postgres: parseDatabaseUrl(read('DATABASE_URL')),
    nats: parseNatsUrl(read('NATS_URL')),
    busNamespace: parseNamespace(read('VISTA_BUS_NAMESPACE')),
    httpHost: parseHost('HTTP_HOST', read('HTTP_HOST')),
    ports,
    inheritedEnv,
  };
}

function parseFlags(argv: readonly string[]): { help: boolean; infraOnly: boolean } {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { 'infra-only': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    return { help: values.help === true, infraOnly: values['infra-only'] === true };
  } catch (error) {
    throw new ConfigError(`${(error as Error).message} (see --help)`, { cause: error });
  }
}

/** Parses DATABASE_URL (postgres:// or postgresql://, host, optional port, database name). */
export function parseDatabaseUrl(value: string): PostgresTarget {
  const url = parseUrl('DATABASE_URL', value, 'postgres://user@host:5432/database');
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, got "${redactUrl(value)}"`);
  }
  if (!url.hostname) {
    throw new ConfigError(`DATABASE_URL must name a host (e.g. 127.0.0.1), got "${redactUrl(value)}"`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) {
    throw new ConfigError(`DATABASE_URL must end with a database name (…/vista), got "${redactUrl(value)}"`);
  }
  return {
    url: value,
    host: url.hostname,
    port: url.port ? parsePort('DATABASE_URL port', url.port) : 5432,
    user: url.username ? decodeURIComponent(url.username) : 'postgres',
    database,
  };
}

/** Parses NATS_URL (one nats:// server; the runner checks or starts exactly that one). */
export function parseNatsUrl(value: string): NatsTarget {
  if (value.includes(',')) {
    throw new ConfigError(`NATS_URL must be a single server for the local runner, got "${redactUrl(value)}"`);
  }
  const url = parseUrl('NATS_URL', value, 'nats://127.0.0.1:4222');
  if (url.protocol !== 'nats:') {
    throw new ConfigError(`NATS_URL must start with nats://, got "${redactUrl(value)}"`);
  }
  if (!url.hostname) throw new ConfigError(`NATS_URL must name a host, got "${redactUrl(value)}"`);
  return { url: value, host: url.hostname, port: url.port ? parsePort('NATS_URL port', url.port) : 4222 };
}

/** Subject token rules: no dots, wildcards or spaces, so `<ns>.evt.…` stays well-formed. */
export function parseNamespace(value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(value)) {
    throw new ConfigError(`VISTA_BUS_NAMESPACE must be letters, digits, "_" or "-" and start with a letter (e.g. vista), got "${value}"`);
  }
  return value;
}

export function parsePort(name: string, value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`${name} must be a port number between 1 and 65535, got "${value}"`);
  }
  return port;
}

function parseHost(name: string, value: string): string {
  if (/[\s/]/.test(value)) throw new ConfigError(`${name} must be a host name or IP address, got "${value}"`);
  return value;
}

function parseUrl(name: string, value: string, example: string): URL {
  try {
    return new URL(value);
  } catch (error) {
    throw new ConfigError(`${name} is not a valid URL (expected e.g. ${example}), got "${redactUrl(value)}"`, {
      cause: error,
    });
  }
}

/** Hides a password in a URL before it is printed. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/** True for addresses of this machine, where the runner may start a server itself. */
export function isLocalHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** The address a locally started server binds to for a URL host. */
export function bindAddress(host: string): string {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare.toLowerCase() === 'localhost' ? '127.0.0.1' : bare;
}
