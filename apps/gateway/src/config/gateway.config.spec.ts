import { describe, expect, it } from '@jest/globals';
import { loadGatewayConfig, parseRateLimit } from './gateway.config.js';

describe('loadGatewayConfig', () => {
  it('has the documented defaults', () => {
    expect(loadGatewayConfig({})).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/vista',
      NATS_URL: 'nats://127.0.0.1:4222',
      VISTA_BUS_NAMESPACE: 'vista',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: 3000,
      LOG_LEVEL: 'info',
      UPLOAD_MAX_BYTES: 16_777_216,
      BODY_MAX_BYTES: 262_144,
      PREDICT_BODY_MAX_BYTES: 1_000_000,
      GATEWAY_RATE_LIMIT: '600/1m',
      OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
    });
  });

  it('reads numbers from the environment', () => {
    expect(loadGatewayConfig({ HTTP_PORT: '0', UPLOAD_MAX_BYTES: '4096' })).toMatchObject({ HTTP_PORT: 0, UPLOAD_MAX_BYTES: 4096 });
  });

  it('stops at boot naming every bad variable', () => {
    expect(() => loadGatewayConfig({ HTTP_PORT: 'eighty', GATEWAY_RATE_LIMIT: 'lots', LOG_LEVEL: 'chatty' })).toThrow(
      /HTTP_PORT="eighty"[\s\S]*LOG_LEVEL="chatty"[\s\S]*GATEWAY_RATE_LIMIT="lots"/,
    );
  });
});

describe('parseRateLimit', () => {
  it.each([
    ['600/1m', { limit: 600, windowMs: 60_000 }],
    ['100/10s', { limit: 100, windowMs: 10_000 }],
    ['5000/1h', { limit: 5000, windowMs: 3_600_000 }],
  ])('reads %s', (value, expected) => expect(parseRateLimit(value)).toEqual(expected));

  it('refuses a value without a window', () => expect(() => parseRateLimit('600')).toThrow(/600\/1m/));
});
