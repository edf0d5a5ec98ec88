import { describe, expect, it } from '@jest/globals';
import { bindAddress, ConfigError, isLocalHost, loadStartConfig, redactUrl } from './config.js';

const load = (env: Record<string, string | undefined> = {}, argv: string[] = []) => loadStartConfig(env, argv, '/repo');

describe('loadStartConfig', () => {
  it('applies the shared defaults when nothing is set', () => {
    const config = load();

    expect(config.postgres).toEqual({
      url: 'postgres://postgres@127.0.0.1:5432/vista',
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      database: 'vista',
    });
    expect(config.nats).toEqual({ url: 'nats://127.0.0.1:4222', host: '127.0.0.1', port: 4222 });
    expect(config.busNamespace).toBe('vista');
    expect(config.httpHost).toBe('127.0.0.1');
    expect(config.ports).toEqual({
      gateway: 3000,
      deck: 3101,
      projector: 3102,
      doe: 3103,
      ml: 3104,
      optimize: 3105,
      auth: 3106,
      metrics: 3107,
      'lot-tracking': 3109,
    });
    expect(config.dataDir).toBe('/repo/.data');
    expect(config.infraOnly).toBe(false);
  });

  it('reads the URLs, namespace, ports and data folder from the environment', () => {
    const config = load({
      DATABASE_URL: 'postgresql://vista:secret@localhost:5499/vista_try',
      NATS_URL: 'nats://127.0.0.1:4299',
      VISTA_BUS_NAMESPACE: 'vista_t1a2b3',
      GATEWAY_HTTP_PORT: '3900',
      VISTA_DATA_DIR: 'tmp/data',
    });

    expect(config.postgres).toMatchObject({ host: 'localhost', port: 5499, user: 'vista', database: 'vista_try' });
    expect(config.nats.port).toBe(4299);
    expect(config.busNamespace).toBe('vista_t1a2b3');
    expect(config.ports.gateway).toBe(3900);
    expect(config.dataDir).toBe('/repo/tmp/data');
  });

  it('treats an empty variable as unset', () => {
    expect(load({ NATS_URL: '  ' }).nats.port).toBe(4222);
  });

  it('passes the caller environment on for the services', () => {
    expect(load({ LOG_LEVEL: 'debug' }).inheritedEnv).toMatchObject({ LOG_LEVEL: 'debug' });
  });

  it('turns on infra-only mode with --infra-only', () => {
    expect(load({}, ['--infra-only']).infraOnly).toBe(true);
  });

  it.each([
    [{ DATABASE_URL: 'mysql://root@127.0.0.1/vista' }, /^DATABASE_URL must start with postgres:\/\//],
    [{ DATABASE_URL: 'not a url' }, /^DATABASE_URL is not a valid URL/],
    [{ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432' }, /^DATABASE_URL must end with a database name/],
    [{ DATABASE_URL: 'postgres://postgres@127.0.0.1:99999/vista' }, /^DATABASE_URL/],
    [{ NATS_URL: 'http://127.0.0.1:4222' }, /^NATS_URL must start with nats:\/\//],
    [{ NATS_URL: 'nats://a:4222,nats://b:4222' }, /^NATS_URL must be a single server/],
    [{ VISTA_BUS_NAMESPACE: 'vista.evt' }, /^VISTA_BUS_NAMESPACE must be letters/],
    [{ VISTA_BUS_NAMESPACE: '9lives' }, /^VISTA_BUS_NAMESPACE/],
    [{ DECK_HTTP_PORT: 'abc' }, /^DECK_HTTP_PORT must be a port number/],
    [{ PROJECTOR_HTTP_PORT: '0' }, /^PROJECTOR_HTTP_PORT must be a port number/],
    [{ DECK_HTTP_PORT: '3000' }, /^DECK_HTTP_PORT=3000 is already the port of gateway/],
    [{ HTTP_HOST: 'http://x' }, /^HTTP_HOST must be a host name/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });

  it('rejects an unknown flag', () => {
    expect(() => load({}, ['--fast'])).toThrow(/Unknown option '--fast'/);
  });

  it('never shows a password from DATABASE_URL in its messages', () => {
    expect(() => load({ DATABASE_URL: 'mysql://root:hunter2@db/vista' })).toThrow(/root:\*\*\*@db/);
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgres://vista:s3cret@db:5432/vista')).toBe('postgres://vista:***@db:5432/vista');
    expect(redactUrl('postgres://vista@db:5432/vista')).toBe('postgres://vista@db:5432/vista');
  });
});

describe('isLocalHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '[::1]', '::1'])('says %s is this machine', (host) => {
    expect(isLocalHost(host)).toBe(true);
  });

  it.each(['db', '10.0.0.5', 'postgres.vista.svc', '128.0.0.1'])('says %s is elsewhere', (host) => {
    expect(isLocalHost(host)).toBe(false);
  });
});

describe('bindAddress', () => {
  it('binds localhost to 127.0.0.1 and strips IPv6 brackets', () => {
    expect(bindAddress('localhost')).toBe('127.0.0.1');
    expect(bindAddress('[::1]')).toBe('::1');
    expect(bindAddress('127.0.0.1')).toBe('127.0.0.1');
  });
});
