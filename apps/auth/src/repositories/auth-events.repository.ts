import { Inject, Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { ConflictError, type EventMetadata } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import { EventStore, type NewEvent } from '@vista/event-store';
import { AUTH_SCHEMA } from '../config/auth.config.js';
import { type AuthEvent, type AuthState, emptyAuthState, evolve } from '../domain/auth-state.js';

/** Every auth decision is made on the whole identity state, so the log is one stream: its version orders all of it. */
export const AUTH_STREAM = 'auth';
const ATTEMPTS = 8;

interface EventRow {
  stream_version: number;
  type: string;
  data: Record<string, unknown>;
  occurred_at: Date;
}

/**
 * The auth log folded into the current identity state, kept in memory and caught up from Postgres
 * before every decision (other replicas may have appended). Appends expect the version decided on:
 * a concurrent append makes the decision run again on the newer state.
 */
@Injectable()
export class AuthEventsRepository {
  private state: AuthState = emptyAuthState();
  private catchingUp: Promise<AuthState> | undefined;

  constructor(
    @Inject(DATABASE) private readonly db: Kysely<any>,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  /** The current state (caught up with the log). */
  current(): Promise<AuthState> {
    this.catchingUp ??= this.catchUp().finally(() => (this.catchingUp = undefined));
    return this.catchingUp;
  }

  private async catchUp(): Promise<AuthState> {
    for (const event of await this.read(this.state.position)) evolve(this.state, event);
    return this.state;
  }

  /** Every event of the log in order (as-of answers fold them up to an instant). */
  all(): Promise<AuthEvent[]> {
    return this.read(0);
  }

  private async read(afterVersion: number): Promise<AuthEvent[]> {
    const { rows } = await sql<EventRow>`
      select stream_version, type, data, occurred_at from ${sql.id(AUTH_SCHEMA, 'events')}
      where stream_id = ${AUTH_STREAM} and stream_version > ${afterVersion}
      order by stream_version`.execute(this.db);
    return rows.map((r) => ({ type: r.type, data: r.data, occurredAt: r.occurred_at, position: Number(r.stream_version) }));
  }

  /**
   * Decides on the current state and appends what was decided, deciding again on a newer state when
   * another append came first. `decide` returns the events and the answer.
   */
  async decide<T>(metadata: EventMetadata, decide: (state: AuthState) => { events: readonly NewEvent[]; answer: (state: AuthState) => T }): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const state = await this.current();
      const { events, answer } = decide(state);
      if (events.length === 0) return answer(state);
      try {
        await this.store.append({ streamId: AUTH_STREAM, expectedVersion: state.position, events }, metadata);
      } catch (error) {
        if (error instanceof ConflictError && attempt < ATTEMPTS) continue;
        throw error;
      }
      return answer(await this.current());
    }
  }
}
