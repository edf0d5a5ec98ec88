import { describe, expect, it } from '@jest/globals';
import { restartDelayMs } from './platform.js';

describe('restartDelayMs', () => {
  it('waits 1 s before the first restart and doubles with each quick exit, up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(restartDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });
});
