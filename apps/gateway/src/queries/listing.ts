import { ValidationError } from '@vista/contracts';
import { type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';

/** SQL types a sort key is compared as (the cursor carries its value as text and casts it back). */
export type KeyType = 'text' | 'timestamptz' | 'bigint' | 'integer' | 'uuid';

export interface SortKey {
  /** A non-null SQL expression over the listed rows. */
  readonly sql: RawBuilder<unknown>;
  readonly type: KeyType;
}

/**
 * A list's declared sort fields and its unique tie-breaker: the one source for which `sort` values a
 * request may name, for the ORDER BY and for the keyset condition a cursor continues after.
 */
export interface Listing<S extends string> {
  /** Named in cursors, so a cursor from one list is refused by another. */
  readonly name: string;
  readonly sorts: Readonly<Record<S, SortKey>>;
  /** Unique per row: orders rows with equal sort values and makes the keyset exact. */
  readonly id: SortKey;
  /** `field` ascending, `-field` descending. */
  readonly defaultSort: SortSpec<NoInfer<S>>;
}

export type SortSpec<S extends string> = S | `-${S}`;

export const defineListing = <S extends string>(listing: Listing<S>): Listing<S> => listing;

/** Every `sort` value a listing accepts (each field ascending and descending). */
export function sortValues<S extends string>(listing: Listing<S>): string[] {
  return Object.keys(listing.sorts).flatMap((field) => [field, `-${field}`]);
}

export interface PageRequest {
  readonly pageSize: number;
  readonly cursor?: string;
  readonly sort?: string;
  /** Rows to skip before the first page (numbered pages of lists that keep them); ignored after a cursor. */
  readonly offset?: number;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
  readonly sort: string;
  readonly pageSize: number;
}

interface Cursor {
  readonly sort: string;
  readonly value: string;
  readonly id: string;
}

const cursorProblem = () => new ValidationError('cursor is not one this list gave', [{ path: 'cursor', message: 'must be a nextCursor this list gave' }]);

export function encodeCursor(listing: Listing<string>, cursor: Cursor): string {
  return Buffer.from(JSON.stringify([listing.name, cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

/** Reads a cursor back; one from another list, or made for another sort order, is a 400 naming `cursor`. */
export function decodeCursor(listing: Listing<string>, text: string, sort: string): Cursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString());
  } catch {
    throw cursorProblem();
  }
  if (!Array.isArray(parts) || parts.length !== 4 || !parts.every((p) => typeof p === 'string') || parts[0] !== listing.name) throw cursorProblem();
  if (parts[1] !== sort) {
    throw new ValidationError(`cursor was given for sort ${parts[1] as string}, not ${sort}`, [
      { path: 'cursor', message: `was given for sort ${parts[1] as string}; ask the first page again for sort ${sort}` },
    ]);
  }
  return { sort, value: parts[2] as string, id: parts[3] as string };
}

/** The sort a request names (validated by its DTO) or the list's default. */
export function resolveSort<S extends string>(listing: Listing<S>, sort: string | undefined): { field: S; descending: boolean; spec: string } {
  const spec = sort ?? listing.defaultSort;
  const descending = spec.startsWith('-');
  const field = (descending ? spec.slice(1) : spec) as S;
  if (!(field in listing.sorts)) {
    throw new ValidationError(`sort ${spec} is not one of ${sortValues(listing).join(', ')}`, [
      { path: 'sort', message: `must be one of ${sortValues(listing).join(', ')}` },
    ]);
  }
  return { field, descending, spec };
}

/**
 * One keyset page: orders `query` by the requested sort key and the list's id, continues strictly
 * after the cursor's row (an index range scan, whatever the depth), and reads one row more than the
 * page to know whether another follows. Rows added meanwhile never shift a page: each page starts
 * after the last row the previous one showed, so no row is shown twice or skipped.
 */
export async function keysetPage<DB, TB extends keyof DB, O, T>(
  listing: Listing<string>,
  query: SelectQueryBuilder<DB, TB, O>,
  request: PageRequest,
  map: (row: O) => T,
): Promise<Page<T>> {
  const { field, descending, spec } = resolveSort(listing, request.sort);
  const key = listing.sorts[field]!;
  const direction = descending ? sql`desc` : sql`asc`;
  let q = query
    .select([sql<string>`(${key.sql})::text`.as('__sort'), sql<string>`(${listing.id.sql})::text`.as('__id')])
    .orderBy(sql`${key.sql} ${direction}`)
    .orderBy(sql`${listing.id.sql} ${direction}`)
    .limit(request.pageSize + 1);
  if (request.cursor !== undefined) {
    const after = decodeCursor(listing, request.cursor, spec);
    const comparison = descending ? sql`<` : sql`>`;
    q = q.where(
      sql<boolean>`(${key.sql}, ${listing.id.sql}) ${comparison} (${cast(after.value, key.type)}, ${cast(after.id, listing.id.type)})` as Expression<boolean> as never,
    );
  } else if (request.offset) {
    q = q.offset(request.offset);
  }
  let rows: (O & { __sort: string; __id: string })[];
  try {
    rows = (await q.execute()) as (O & { __sort: string; __id: string })[];
  } catch (error) {
    // A cursor whose value does not cast to its key's type was not made by this list.
    if (request.cursor !== undefined && isCastFailure(error)) throw cursorProblem();
    throw error;
  }
  const more = rows.length > request.pageSize;
  const shown = more ? rows.slice(0, request.pageSize) : rows;
  const last = shown[shown.length - 1];
  return {
    items: shown.map((row) => {
      const { __sort: _sort, __id: _id, ...rest } = row;
      return map(rest as O);
    }),
    nextCursor: more && last ? encodeCursor(listing, { sort: spec, value: last.__sort, id: last.__id }) : null,
    sort: spec,
    pageSize: request.pageSize,
  };
}

function cast(value: string, type: KeyType): RawBuilder<unknown> {
  return sql`cast(${value} as ${sql.raw(type)})`;
}

/** A cast of a cursor's value that failed: the cursor was not made by the list it was given to. */
export function isCastFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  // invalid_text_representation, invalid_datetime_format, datetime_field_overflow, numeric_value_out_of_range
  return code === '22P02' || code === '22007' || code === '22008' || code === '22003';
}

/** Totals are exact up to this many rows; an unfiltered list of more is estimated. */
export const EXACT_TOTAL_UP_TO = 10_000;

/**
 * How many rows a list's filter matches: `count` them, except for an unfiltered list of many rows,
 * whose size the table statistics (`reltuples` of `table`, schema-qualified) estimate — no count over
 * every row on each page.
 */
export async function listTotal(db: Kysely<any>, table: string, unfiltered: boolean, count: () => Promise<number>): Promise<number> {
  if (unfiltered) {
    const { rows } = await sql<{ estimate: string }>`select reltuples::bigint as estimate from pg_class where oid = ${table}::regclass`.execute(db);
    const estimate = Number(rows[0]?.estimate ?? -1);
    if (estimate >= EXACT_TOTAL_UP_TO) return estimate;
  }
  return count();
}

/** A `from`..`to` filter whose ends are in the wrong order is a 400 naming `to`. */
export function assertRange(fromName: string, from: string | undefined, toName: string, to: string | undefined): void {
  if (from !== undefined && to !== undefined && new Date(from).getTime() > new Date(to).getTime()) {
    throw new ValidationError(`${toName} is before ${fromName}`, [{ path: toName, message: `must not be before ${fromName}` }]);
  }
}

/** `%…%` for ILIKE with the user's `%`, `_` and `\` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
