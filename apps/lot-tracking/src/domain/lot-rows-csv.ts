import { CsvError, parse } from 'csv-parse/sync';
import { type ErrorIssue, LotRowFieldsV1, ValidationError, VistaError, validateAs } from '@vista/contracts';

const FIXED = ['lotId', 'product', 'processStep', 'equipment', 'waferCount', 'setupModelId'] as const;
const OPTIONAL = ['note'] as const;
const FACTOR_PREFIX = 'factor.';
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export interface CsvRow {
  readonly line: number;
  readonly row: LotRowFieldsV1;
}

/**
 * Reads lot rows from CSV: a header naming `lotId,product,processStep,equipment,waferCount,setupModelId`,
 * optionally `note`, and one `factor.<name>` column per factor. Every bad line is reported (by its line
 * number and field); nothing is returned unless every line is good.
 */
export function parseLotRowsCsv(text: string): CsvRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (error) {
    const line = error instanceof CsvError ? (error as CsvError & { lines?: number }).lines : undefined;
    throw new ValidationError(`csv is not readable: ${(error as Error).message}`, [{ path: line ? `line ${line}` : 'csv', message: (error as Error).message }]);
  }
  const [header, ...lines] = records;
  if (!header) throw new ValidationError('csv is empty', [{ path: 'csv', message: 'expected a header and at least one row' }]);
  const headerIssues: ErrorIssue[] = [];
  for (const column of FIXED) if (!header.includes(column)) headerIssues.push({ path: 'line 1', message: `the header lacks the column ${column}` });
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) headerIssues.push({ path: 'line 1', message: `the column ${column} appears twice` });
    seen.add(column);
    const known = (FIXED as readonly string[]).includes(column) || (OPTIONAL as readonly string[]).includes(column);
    if (!known && !(column.startsWith(FACTOR_PREFIX) && column.length > FACTOR_PREFIX.length)) {
      headerIssues.push({ path: 'line 1', message: `unknown column ${column} (factor columns are named factor.<name>)` });
    }
  }
  if (headerIssues.length > 0) throw new ValidationError(`csv header is invalid: ${headerIssues.map((i) => i.message).join('; ')}`, headerIssues);
  if (lines.length === 0) throw new ValidationError('csv has no rows', [{ path: 'csv', message: 'expected at least one row after the header' }]);

  const rows: CsvRow[] = [];
  const issues: ErrorIssue[] = [];
  lines.forEach((cells, index) => {
    const line = index + 2;
    const value: Record<string, unknown> = { factors: {} };
    const lineIssues: ErrorIssue[] = [];
    header.forEach((column, c) => {
      const cell = cells[c] ?? '';
      if (column.startsWith(FACTOR_PREFIX)) {
        if (cell === '') return;
        if (!NUMBER.test(cell)) lineIssues.push({ path: `line ${line}: ${column}`, message: `${column} must be a number, got ${JSON.stringify(cell)}` });
        else (value.factors as Record<string, number>)[column.slice(FACTOR_PREFIX.length)] = Number(cell);
      } else if (column === 'waferCount') {
        if (cell === '') return;
        value.waferCount = /^[+-]?\d+$/.test(cell) ? Number(cell) : cell;
      } else if (cell !== '') {
        value[column] = cell;
      }
    });
    try {
      const row = validateAs(LotRowFieldsV1, value, `line ${line}`);
      if (lineIssues.length === 0) rows.push({ line, row });
    } catch (error) {
      if (!(error instanceof VistaError)) throw error;
      lineIssues.push(...(error.issues ?? []).map((i) => ({ path: `line ${line}: ${i.path}`, message: i.message })));
    }
    issues.push(...lineIssues);
  });
  if (issues.length > 0) {
    const bad = new Set(issues.map((i) => i.path?.split(':')[0])).size;
    throw new ValidationError(
      `csv has ${bad} bad line(s) of ${lines.length}; nothing was added: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return rows;
}
