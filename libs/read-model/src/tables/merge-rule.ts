type Column<R> = Exclude<keyof R & string, 'position'>;

/**
 * How the columns of one table combine two versions of a row, so that applying events in any order,
 * any number of times, gives the same row. The projector's repository turns the same rule into SQL.
 */
export interface MergeRule<R> {
  readonly key: readonly Column<R>[];
  /** Status-like: the value of the newest event (highest position) wins. */
  readonly latest: readonly Column<R>[];
  /** Set once: the first non-null value stays; every event of the row agrees on it. */
  readonly once?: readonly Column<R>[];
  /** The earliest timestamp seen. */
  readonly earliest?: readonly Column<R>[];
  /** JSON objects merged key by key, the newer version winning a key both have. */
  readonly merged?: readonly Column<R>[];
  /** Counters: each version carries what its own events add. */
  readonly summed?: readonly Column<R>[];
  /**
   * JSON objects that carry the position of the event that set them (their `position` key): the
   * higher stamp wins and null never does. For a value set by other events than the row's own
   * (a run's stop or retry), which must neither override nor be overridden by the `latest` columns.
   */
  readonly stamped?: readonly Column<R>[];
  /**
   * JSON objects whose entries each carry the position of the event that set them (their
   * `position` key): merged key by key, the entry with the higher stamp winning. For a set whose
   * members change by their own events (a user's roles, granted and revoked).
   */
  readonly stampedEntries?: readonly Column<R>[];
}

/** Every column a rule names, key first; position last. */
export function columnsOf<R>(rule: MergeRule<R>): string[] {
  return [
    ...rule.key,
    ...rule.latest,
    ...(rule.once ?? []),
    ...(rule.earliest ?? []),
    ...(rule.merged ?? []),
    ...(rule.summed ?? []),
    ...(rule.stamped ?? []),
    ...(rule.stampedEntries ?? []),
    'position',
  ];
}

/** The identity of a row under a rule (its primary key as one string). */
export function keyOf<R>(rule: MergeRule<R>, row: R): string {
  const r = row as Record<string, unknown>;
  return rule.key.length === 1 ? String(r[rule.key[0]!]) : rule.key.map((k) => String(r[k])).join('\u0000');
}

/**
 * Combines the row already there with an incoming version of it, by the rule. Mirrors the
 * repository's `ON CONFLICT DO UPDATE`, where `existing` is the stored row and `incoming` the new one.
 */
export function mergeRow<R extends { position: number }>(rule: MergeRule<R>, existing: R, incoming: R): R {
  return mergeInto(rule, { ...existing }, incoming);
}

/** `mergeRow` writing into `existing` (for rows the caller owns). */
export function mergeInto<R extends { position: number }>(rule: MergeRule<R>, existing: R, incoming: R): R {
  const e = existing as Record<string, unknown>;
  const i = incoming as Record<string, unknown>;
  const incomingIsNewer = existing.position < incoming.position;
  if (incomingIsNewer) for (const c of rule.latest) e[c] = i[c];
  for (const c of rule.once ?? []) e[c] = e[c] ?? i[c] ?? null;
  for (const c of rule.earliest ?? []) e[c] = earliest(e[c] as string | null, i[c] as string | null);
  for (const c of rule.merged ?? []) {
    const a = (e[c] ?? {}) as object;
    const b = (i[c] ?? {}) as object;
    e[c] = incomingIsNewer ? { ...a, ...b } : { ...b, ...a };
  }
  for (const c of rule.summed ?? []) e[c] = (e[c] as number) + (i[c] as number);
  for (const c of rule.stamped ?? []) e[c] = newerStamp(e[c] as Stamped | null, i[c] as Stamped | null);
  for (const c of rule.stampedEntries ?? []) e[c] = newerEntries(e[c] as Record<string, Stamped> | null, i[c] as Record<string, Stamped> | null);
  e.position = Math.max(existing.position, incoming.position);
  return existing;
}

type Stamped = { position: number } & Record<string, unknown>;

/** The stamped value with the higher position; null never wins. */
export function newerStamp(a: Stamped | null, b: Stamped | null): Stamped | null {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  return b.position > a.position ? b : a;
}

/** Two objects of stamped entries merged key by key, the higher stamp winning each. */
export function newerEntries(a: Record<string, Stamped> | null, b: Record<string, Stamped> | null): Record<string, Stamped> {
  const merged: Record<string, Stamped> = { ...(a ?? {}) };
  for (const [key, entry] of Object.entries(b ?? {})) merged[key] = newerStamp(merged[key] ?? null, entry)!;
  return merged;
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}
