import { describe, expect, it } from '@jest/globals';
import { isOperationalPath } from './operational-paths.js';

describe('isOperationalPath', () => {
  it.each(['/health/live', '/health/ready', '/metrics', '/metrics?x=1', '/health/ready/'])('treats %s as a probe or scrape', (url) => {
    expect(isOperationalPath(url)).toBe(true);
  });

  it.each(['/kits', '/health', '/metrics/extra', undefined])('treats %s as application traffic', (url) => {
    expect(isOperationalPath(url)).toBe(false);
  });
});
