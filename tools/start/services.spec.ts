import { describe, expect, it } from '@jest/globals';
import { loadStartConfig } from './config.js';
import { entryPoint, probeHost, serviceEnv, START_ORDER, STOP_ORDER } from './services.js';

describe('services', () => {
  const config = loadStartConfig({ PATH: '/usr/bin', LOG_LEVEL: 'debug', HTTP_PORT: '1234', NATS_URL: 'nats://127.0.0.1:4299' }, [], '/repo');

  it('starts deck, projector, gateway and stops the gateway first and the projector last', () => {
    expect(START_ORDER).toEqual(['deck', 'doe', 'ml', 'optimize', 'auth', 'metrics', 'lot-tracking', 'projector', 'gateway']);
    expect(STOP_ORDER).toEqual(['gateway', 'deck', 'doe', 'ml', 'optimize', 'auth', 'metrics', 'lot-tracking', 'projector']);
  });

  it('runs each service from its built entry point', () => {
    expect(entryPoint('/repo', 'deck')).toBe('/repo/dist/apps/deck/src/main.js');
  });

  it('gives each service its own HTTP_PORT and the shared settings, keeping the rest of the environment', () => {
    expect(serviceEnv(config, 'projector')).toMatchObject({
      PATH: '/usr/bin',
      LOG_LEVEL: 'debug',
      HTTP_PORT: '3102',
      HTTP_HOST: '127.0.0.1',
      NATS_URL: 'nats://127.0.0.1:4299',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/vista',
      VISTA_BUS_NAMESPACE: 'vista',
    });
  });

  it('probes a service bound to every interface through loopback', () => {
    expect(probeHost('0.0.0.0')).toBe('127.0.0.1');
    expect(probeHost('::')).toBe('127.0.0.1');
    expect(probeHost('::1')).toBe('[::1]');
    expect(probeHost('127.0.0.1')).toBe('127.0.0.1');
  });
});
