import type { Compilable, CompiledQuery, Kysely } from 'kysely';

const SLOT = Symbol('prepared query parameter');

interface Slot {
  readonly [SLOT]: number;
}

const isSlot = (value: unknown): value is Slot => typeof value === 'object' && value !== null && SLOT in value;

/** A query built and compiled once, then run with new values for its parameters. */
export interface PreparedQuery<A extends readonly unknown[], R> {
  /** Runs the query on `executor` (the database it was built on, or a transaction of it). */
  execute(executor: Kysely<any>, ...args: A): Promise<R[]>;
}

/**
 * Builds a query once — the plugins of the database it is built on applied, its SQL compiled — with a
 * stand-in for each argument of `build`; each `execute` sends the same SQL with the stand-ins replaced
 * by the values given. For the hottest reads, where building and compiling the same statement again
 * costs more than reading its rows. `build` must use each argument as a value only (not as a name, nor
 * to choose the query's shape), and run on that database or a transaction of it (the same plugins).
 */
export function preparedQuery<A extends readonly unknown[], R>(build: (...args: A) => Compilable<R>): PreparedQuery<A, R> {
  const slots = Array.from({ length: build.length }, (_, i): Slot => ({ [SLOT]: i }));
  const compiled: CompiledQuery<R> = build(...(slots as unknown as A)).compile();
  const used = new Set(compiled.parameters.filter(isSlot).map((slot) => slot[SLOT]));
  if (used.size !== slots.length) throw new Error(`a prepared query must use each of its ${slots.length} arguments as a value`);
  return {
    async execute(executor, ...args) {
      const parameters = compiled.parameters.map((value) => (isSlot(value) ? args[value[SLOT]] : value));
      const result = await executor.executeQuery<R>({ ...compiled, parameters });
      return result.rows;
    },
  };
}
