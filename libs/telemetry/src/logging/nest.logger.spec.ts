import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logger.js';
import { NestLogger } from './nest.logger.js';

/** A NestLogger on a root logger whose JSON lines are kept parsed. */
function captureLogger() {
  const lines: Record<string, unknown>[] = [];
  const root = createLogger('deck', 'trace', { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { lines, logger: new NestLogger(root) };
}

describe('NestLogger', () => {
  it("maps Nest's levels to pino's and takes the last parameter as the context", () => {
    const { lines, logger } = captureLogger();

    logger.log('listening', 'Bootstrap');
    logger.verbose('route mapped', 'RouterExplorer');
    logger.warn('slow start');

    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'listening', context: 'Bootstrap', service: 'deck' }),
      expect.objectContaining({ level: 'trace', msg: 'route mapped', context: 'RouterExplorer' }),
      expect.objectContaining({ level: 'warn', msg: 'slow start' }),
    ]);
    expect(lines[2]).not.toHaveProperty('context');
  });

  it('keeps the fields of an object message and the stack of an error', () => {
    const { lines, logger } = captureLogger();

    logger.log({ kitId: 7, msg: 'deck parsed' }, 'DeckService');
    logger.error(new Error('disk full'), 'UploadStore');

    expect(lines[0]).toEqual(expect.objectContaining({ level: 'info', kitId: 7, msg: 'deck parsed', context: 'DeckService' }));
    expect(lines[1]).toEqual(
      expect.objectContaining({
        level: 'error',
        context: 'UploadStore',
        err: expect.objectContaining({ type: 'Error', message: 'disk full', stack: expect.stringContaining('disk full') }),
      }),
    );
  });

  it("turns an exception handler's (message, stack, context) call into an error with that stack", () => {
    const { lines, logger } = captureLogger();
    const stack = 'Error: boom\n    at KitsController.create (kits.controller.js:10:5)';

    logger.error('boom', stack, 'ExceptionsHandler');

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        context: 'ExceptionsHandler',
        err: expect.objectContaining({ message: 'boom', stack }),
      }),
    ]);
  });
});
