import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { localPrometheusConfig } from './prometheus-server.js';

describe('the local Prometheus config', () => {
  const ports = { gateway: 3000, deck: 3101, projector: 3102, doe: 3103, ml: 3104, optimize: 3105, auth: 3106, metrics: 3107, 'lot-tracking': 3109 } as const;

  it("is deploy/'s, scraping every service at this run's local address and port", () => {
    const local = localPrometheusConfig(readFileSync('deploy/prometheus.yml', 'utf8'), '127.0.0.1', { ...ports, ml: 4104 });

    expect(local).toContain("- targets: ['127.0.0.1:4104']\n        labels: { service: ml }");
    expect(local).toContain("- targets: ['127.0.0.1:3107']\n        labels: { service: metrics }");
    expect(local).toContain("- targets: ['127.0.0.1:9090']");
    expect(local).toContain("- targets: ['127.0.0.1:3109']\n        labels: { service: lot-tracking }");
    expect(local).not.toMatch(/'(gateway|deck|doe|ml|optimize|projector|auth|metrics|lot-tracking):\d+'/);
  });
});
