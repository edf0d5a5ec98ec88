import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { DECK_LIMITS, type DeckCell, type DeckFormat, type DeckTable } from './deck-table.js';
import { DeckValidationError, type DeckIssue } from './deck-validation.error.js';

export interface ParseDeckInput {
  format: DeckFormat;
  content: string | Buffer;
  /** Factor columns; when omitted they are the columns that are not responses. */
  factors?: string[];
  /** Response columns; when omitted they are found by name (see `isResponseName`). */
  responses?: string[];
}

/**
 * Parses and validates a deck. Throws `DeckValidationError` listing every problem found (up to
 * `DECK_LIMITS.maxIssues`). When both `factors` and `responses` are given, other columns are left
 * out of the table and not validated.
 */
export const parseDeck = (input: ParseDeckInput): DeckTable => {
  switch (input.format) {
    case 'csv':
      return parseCsvDeck(input);
    case 'json':
      return parseJsonDeck(input);
    default:
      throw new DeckValidationError([{ message: `unsupported deck format "${String(input.format)}" (expected csv or json)` }]);
  }
};

const RESPONSE_NAME = /^(?:y\d*|response.*|resp_.*|y_.*)$/i;

/** Whether a column name marks a response by convention: `y`, `y1`…, `response*`, `resp_*`, `y_*`. */
export const isResponseName = (name: string): boolean => RESPONSE_NAME.test(name);

// ---------------------------------------------------------------------------------------------
// Cells

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE_WORD = /^[+-]?(?:inf|infinity|nan)$/i;
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;

const NOT_A_NUMBER = Symbol('not a number');
const NOT_FINITE = Symbol('not finite');
type CellProblem = typeof NOT_A_NUMBER | typeof NOT_FINITE;

// Decimal notation only: Number() alone would also accept hexadecimal, binary and octal literals
// ("0x1F", "0b11"), which no measurement file means.
const readText = (text: string): DeckCell | CellProblem => {
  if (text === '') return null;
  if (!DECIMAL.test(text)) {
    const trimmed = text.trim();
    if (trimmed === text) return NON_FINITE_WORD.test(text) ? NOT_FINITE : NOT_A_NUMBER;
    return readText(trimmed);
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : NOT_FINITE;
};

const readJsonValue = (value: unknown): DeckCell | CellProblem => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NOT_FINITE;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return readText(value);
  return NOT_A_NUMBER;
};

const isCell = (value: DeckCell | CellProblem): value is DeckCell => typeof value === 'number' || value === null;

const quote = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

const count = (n: number): string => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------
// Issues

/** Thrown inside the readers to stop reading once enough problems are collected. */
class StopReading extends Error {}

class IssueList {
  readonly items: DeckIssue[] = [];

  add(issue: DeckIssue): void {
    this.items.push(issue);
    if (this.items.length >= DECK_LIMITS.maxIssues) throw new StopReading();
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new DeckValidationError(this.items);
  }

  /** Runs a reader, turning an early stop into the error that lists what was collected. */
  collect<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (error instanceof StopReading) throw new DeckValidationError(this.items, { truncated: true });
      throw error;
    }
  }
}

/** Says where a data row is, as a person finds it in the file. */
type RowLocator = (row: number, line?: number) => string;

const csvRow: RowLocator = (row, line) => `data row ${row} (line ${line})`;
const jsonRow: RowLocator = (row) => `data row ${row} (index ${row - 1})`;

/** An issue without the location fields that do not apply, so it serializes cleanly. */
const issueAt = (row: number, line: number | undefined, column: string | undefined, message: string): DeckIssue => ({
  row,
  ...(line === undefined ? {} : { line }),
  ...(column === undefined ? {} : { column }),
  message,
});

const refuse = (message: string, extra: Omit<DeckIssue, 'message'> = {}): never => {
  throw new DeckValidationError([{ ...extra, message }]);
};

// ---------------------------------------------------------------------------------------------
// Columns: names and the factor/response split

const checkColumnNames = (names: readonly string[]): void => {
  if (names.length > DECK_LIMITS.maxColumns) {
    refuse(`the deck has ${count(names.length)} columns; at most ${count(DECK_LIMITS.maxColumns)} are allowed`);
  }
  const issues: DeckIssue[] = [];
  const firstSeen = new Map<string, number>();
  names.forEach((name, index) => {
    if (name === '') {
      issues.push({ message: `column ${index + 1} of the header has no name` });
      return;
    }
    const earlier = firstSeen.get(name);
    if (earlier === undefined) firstSeen.set(name, index);
    else issues.push({ column: name, message: `column name ${quote(name)} appears twice (columns ${earlier + 1} and ${index + 1})` });
  });
  if (names.length < 2) {
    issues.push({ message: `the deck has ${names.length} column${names.length === 1 ? '' : 's'}; it needs at least one factor and one response column` });
  }
  if (issues.length > 0) throw new DeckValidationError(issues.slice(0, DECK_LIMITS.maxIssues));
};

interface ColumnPlan {
  /** Indexes into the source columns of the columns kept, in file order. */
  selected: number[];
  columns: string[];
  factors: string[];
  responses: string[];
}

const listNames = (names: readonly string[]): string => {
  const shown = names.slice(0, 10).map(quote).join(', ');
  return names.length > 10 ? `${shown}, … (${names.length} in all)` : shown;
};

const normalizeList = (list: readonly string[] | undefined): string[] | undefined =>
  list === undefined ? undefined : [...new Set(list.map((name) => name.trim()))];

const planColumns = (names: readonly string[], factorList?: readonly string[], responseList?: readonly string[]): ColumnPlan => {
  const explicitFactors = normalizeList(factorList);
  const explicitResponses = normalizeList(responseList);
  const known = new Set(names);
  const issues: DeckIssue[] = [];

  for (const [role, list] of [
    ['factor', explicitFactors],
    ['response', explicitResponses],
  ] as const) {
    for (const name of list ?? []) {
      if (!known.has(name)) issues.push({ column: name, message: `${role} column ${quote(name)} is not in the deck (its columns are ${listNames(names)})` });
    }
  }
  const responseSet = new Set(explicitResponses);
  for (const name of explicitFactors ?? []) {
    if (responseSet.has(name)) issues.push({ column: name, message: `column ${quote(name)} is listed both as a factor and as a response` });
  }
  if (issues.length > 0) throw new DeckValidationError(issues.slice(0, DECK_LIMITS.maxIssues));

  let isFactor: (name: string) => boolean;
  let isResponse: (name: string) => boolean;
  if (explicitFactors && explicitResponses) {
    const factorSet = new Set(explicitFactors);
    isFactor = (name) => factorSet.has(name);
    isResponse = (name) => responseSet.has(name);
  } else if (explicitFactors) {
    const factorSet = new Set(explicitFactors);
    isFactor = (name) => factorSet.has(name);
    isResponse = (name) => !factorSet.has(name);
  } else if (explicitResponses) {
    isFactor = (name) => !responseSet.has(name);
    isResponse = (name) => responseSet.has(name);
  } else {
    // By convention; with no response-like name, the last column is the response.
    const byName = new Set(names.filter(isResponseName));
    if (byName.size === 0 && names.length > 0) byName.add(names[names.length - 1] as string);
    isFactor = (name) => !byName.has(name);
    isResponse = (name) => byName.has(name);
  }

  const plan: ColumnPlan = { selected: [], columns: [], factors: [], responses: [] };
  names.forEach((name, index) => {
    const factor = isFactor(name);
    if (!factor && !isResponse(name)) return;
    plan.selected.push(index);
    plan.columns.push(name);
    (factor ? plan.factors : plan.responses).push(name);
  });

  if (plan.factors.length === 0) {
    issues.push({
      message: explicitFactors
        ? 'the factor list is empty; a deck needs at least one factor column'
        : `no factor column: every column (${listNames(names)}) is taken as a response; name the factors explicitly`,
    });
  }
  if (plan.responses.length === 0) {
    issues.push({
      message: explicitResponses
        ? 'the response list is empty; a deck needs at least one response column'
        : `no response column: every column (${listNames(names)}) is taken as a factor; name the responses explicitly`,
    });
  }
  if (issues.length > 0) throw new DeckValidationError(issues);
  return plan;
};

// ---------------------------------------------------------------------------------------------
// Rows

/** Collects validated rows of the planned columns and the problems met on the way. */
class DeckBuilder {
  readonly rows: DeckCell[][] = [];
  private rowCount = 0;
  private readonly present: Int32Array;

  constructor(
    private readonly plan: ColumnPlan,
    private readonly issues: IssueList,
    private readonly locate: RowLocator,
  ) {
    this.present = new Int32Array(plan.columns.length);
  }

  /** Numbers the next data row, refusing the deck once it has too many. */
  nextRow(): number {
    this.rowCount += 1;
    if (this.rowCount > DECK_LIMITS.maxRows) {
      refuse(`the deck has more than ${count(DECK_LIMITS.maxRows)} data rows; at most ${count(DECK_LIMITS.maxRows)} are allowed`);
    }
    return this.rowCount;
  }

  /** Reads one row; `cellAt(k)` gives the raw value of the k-th planned column. */
  readRow<T>(
    row: number,
    line: number | undefined,
    cellAt: (sourceIndex: number) => T,
    read: (raw: T) => DeckCell | CellProblem,
    show: (raw: T) => string,
  ): void {
    const { selected, columns } = this.plan;
    const cells: DeckCell[] = [];
    let valid = true;
    for (let k = 0; k < selected.length; k++) {
      const raw = cellAt(selected[k] as number);
      const value = read(raw);
      if (isCell(value)) {
        cells.push(value);
        if (value !== null) this.present[k] = (this.present[k] as number) + 1;
        continue;
      }
      valid = false;
      const column = columns[k] as string;
      const shown = show(raw);
      const hint = value === NOT_A_NUMBER && typeof raw === 'string' && DECIMAL_COMMA.test(raw.trim()) ? ' (use "." as the decimal separator)' : '';
      const problem = value === NOT_FINITE ? 'is not a finite number' : 'is not a number';
      this.issues.add(issueAt(row, line, column, `${this.locate(row, line)}, column ${quote(column)}: ${shown} ${problem}${hint}`));
    }
    if (valid) this.rows.push(cells);
  }

  problem(row: number, line: number | undefined, message: string, column?: string): void {
    this.issues.add(issueAt(row, line, column, `${this.locate(row, line)}: ${message}`));
  }

  /** Final checks over the whole deck; throws when any problem was found. */
  build(): DeckTable {
    if (this.rowCount < DECK_LIMITS.minRows) {
      this.issues.add({ message: `the deck has ${this.rowCount} data row${this.rowCount === 1 ? '' : 's'}; at least ${DECK_LIMITS.minRows} are needed` });
    } else {
      this.plan.columns.forEach((column, k) => {
        if (this.present[k] === 0) this.issues.add({ column, message: `column ${quote(column)} has no values: every cell is empty` });
      });
    }
    this.issues.throwIfAny();
    const { columns, factors, responses } = this.plan;
    return { columns, factors, responses, rows: this.rows };
  }
}

// ---------------------------------------------------------------------------------------------
// CSV

const DELIMITERS = [',', ';', '\t'] as const;

/** Picks the delimiter that splits the header line most, outside quotes; comma when none does. */
export const detectDelimiter = (text: string): (typeof DELIMITERS)[number] => {
  const counts = [0, 0, 0];
  let quoted = false;
  let lineHasContent = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"') {
      quoted = !quoted;
      lineHasContent = true;
    } else if (quoted) {
      continue;
    } else if (ch === '\n' || ch === '\r') {
      if (lineHasContent) break; // leading blank lines are skipped, like the parser does
    } else {
      const index = DELIMITERS.indexOf(ch as (typeof DELIMITERS)[number]);
      if (index >= 0) counts[index] = (counts[index] as number) + 1;
      if (ch.trim() !== '') lineHasContent = true;
    }
  }
  let best = 0;
  for (let i = 1; i < counts.length; i++) if ((counts[i] as number) > (counts[best] as number)) best = i;
  return DELIMITERS[best] as (typeof DELIMITERS)[number];
};

const HEADER_PREVIEW_BYTES = 64 * 1024;

const parseCsvDeck = (input: ParseDeckInput): DeckTable => {
  const { content } = input;
  const preview = typeof content === 'string' ? content.slice(0, HEADER_PREVIEW_BYTES) : content.subarray(0, HEADER_PREVIEW_BYTES).toString('utf8');
  const delimiter = detectDelimiter(preview);
  const issues = new IssueList();
  // Filled by the record callback; an object so the checks below see what the callback set.
  const read: { header?: string[]; builder?: DeckBuilder } = {};

  const onRecord = (record: string[], line: number): void => {
    // A line of blanks only (skip_empty_lines keeps those) is an empty line, not a row of gaps.
    if (record.length === 1 && record[0] === '') return;
    if (!read.header || !read.builder) {
      const names = record.map((name) => name.trim());
      if (names.every((name) => DECIMAL.test(name))) {
        refuse(`line ${line} holds numbers, not column names: a header row naming the columns is required`, { line });
      }
      checkColumnNames(names);
      read.builder = new DeckBuilder(planColumns(names, input.factors, input.responses), issues, csvRow);
      read.header = names;
      return;
    }
    const { header, builder } = read;
    const row = builder.nextRow();
    if (record.length !== header.length) {
      builder.problem(row, line, `has ${record.length} cell${record.length === 1 ? '' : 's'} but the header has ${header.length} columns`);
      return;
    }
    builder.readRow(row, line, (index) => record[index] as string, readText, quote);
  };

  issues.collect(() => {
    try {
      parseCsv(content, {
        bom: true,
        delimiter,
        trim: true,
        skip_empty_lines: true,
        // Ragged rows are reported by us, with the others, instead of stopping at the first.
        relax_column_count: true,
        // An oversized deck is refused as soon as its row past the limit is read (see nextRow).
        on_record: (record: string[], context) => {
          onRecord(record, context.lines);
          return null;
        },
      });
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      const line = typeof error['lines'] === 'number' ? error['lines'] : undefined;
      issues.add(line === undefined ? { message: error.message } : { line, message: `line ${line}: ${error.message}` });
      throw new DeckValidationError(issues.items, { cause: error });
    }
  });

  const { builder } = read;
  if (!builder) return refuse('the file is empty: a header row and at least 2 data rows are needed');
  return issues.collect(() => builder.build());
};

// ---------------------------------------------------------------------------------------------
// JSON

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const showJson = (value: unknown): string => {
  if (typeof value === 'string') return quote(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

const JSON_SHAPE = 'a JSON deck must be an array of row objects ([{"x1": 1, "y": 2}, …]) or an object {"columns": [...], "rows": [[...], …]}';

const parseJsonDeck = (input: ParseDeckInput): DeckTable => {
  const raw = typeof input.content === 'string' ? input.content : input.content.toString('utf8');
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.trim() === '') refuse('the file is empty: a JSON deck needs column names and at least 2 data rows');

  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new DeckValidationError([{ message: `the file is not valid JSON: ${(error as Error).message}` }], { cause: error });
  }

  if (Array.isArray(document)) return readRowObjects(document, input);
  if (isRecord(document) && Array.isArray(document['columns']) && Array.isArray(document['rows'])) {
    return readColumnsAndRows(document['columns'], document['rows'], input);
  }
  return refuse(JSON_SHAPE);
};

const checkRowCount = (rows: readonly unknown[]): void => {
  if (rows.length > DECK_LIMITS.maxRows) {
    refuse(`the deck has ${count(rows.length)} data rows; at most ${count(DECK_LIMITS.maxRows)} are allowed`);
  }
};

const readRowObjects = (items: readonly unknown[], input: ParseDeckInput): DeckTable => {
  const [first] = items;
  if (first === undefined) return refuse('the JSON array holds no rows: at least 2 data rows are needed');
  if (!isRecord(first)) return refuse(`${jsonRow(1)} is not an object; ${JSON_SHAPE}`, { row: 1 });
  checkRowCount(items);
  const names = Object.keys(first).map((name) => name.trim());
  checkColumnNames(names);
  const plan = planColumns(names, input.factors, input.responses);
  // Keys are matched untrimmed against the objects; trimmed names are what the deck reports.
  const keys = Object.keys(first);
  const known = new Set(keys);
  const unselectedAllowed = input.factors !== undefined && input.responses !== undefined;
  const issues = new IssueList();
  const builder = new DeckBuilder(plan, issues, jsonRow);

  return issues.collect(() => {
    for (const item of items) {
      const row = builder.nextRow();
      if (!isRecord(item)) {
        builder.problem(row, undefined, `is ${showJson(item)}, not an object`);
        continue;
      }
      if (!unselectedAllowed) {
        for (const key in item) {
          if (!known.has(key)) builder.problem(row, undefined, `has column ${quote(key)}, which the first row does not have`, key);
        }
      }
      builder.readRow(row, undefined, (index) => item[keys[index] as string], readJsonValue, showJson);
    }
    return builder.build();
  });
};

const readColumnsAndRows = (columns: readonly unknown[], rows: readonly unknown[], input: ParseDeckInput): DeckTable => {
  const badName = columns.findIndex((name) => typeof name !== 'string');
  if (badName >= 0) refuse(`"columns" must hold column names as strings; entry ${badName + 1} is ${showJson(columns[badName])}`);
  checkRowCount(rows);
  const names = (columns as string[]).map((name) => name.trim());
  checkColumnNames(names);
  const plan = planColumns(names, input.factors, input.responses);
  const issues = new IssueList();
  const builder = new DeckBuilder(plan, issues, jsonRow);

  return issues.collect(() => {
    for (const item of rows) {
      const row = builder.nextRow();
      if (!Array.isArray(item)) {
        builder.problem(row, undefined, `is ${showJson(item)}, not an array of cells`);
        continue;
      }
      if (item.length !== names.length) {
        builder.problem(row, undefined, `has ${item.length} cell${item.length === 1 ? '' : 's'} but "columns" names ${names.length}`);
        continue;
      }
      builder.readRow(row, undefined, (index) => item[index] as unknown, readJsonValue, showJson);
    }
    return builder.build();
  });
};
