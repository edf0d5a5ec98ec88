import path from 'node:path';
import { ValidationError } from '@vista/contracts';

/** Resolves a relative path inside `root`, refusing anything that escapes it. */
export function resolveInside(root: string, relative: string): string {
  const base = path.resolve(root);
  const file = path.resolve(base, relative);
  if (!file.startsWith(base + path.sep))
    throw new ValidationError(`sourcePath ${relative} leaves the deck folder`, [{ path: 'sourcePath', message: 'must stay inside the deck folder' }]);
  return file;
}
