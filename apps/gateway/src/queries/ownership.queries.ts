import { Inject, Injectable } from '@nestjs/common';
import { type AccessTokenClaims, ForbiddenError, NotFoundError } from '@vista/contracts';
import { DATABASE } from '@vista/db';
import type { Kysely } from 'kysely';
import { READ_SCHEMA, type ReadDatabase } from './read-model.tables.js';

/** Whose objects a caller sees: an admin everyone's, anyone else their own (`owner` undefined: no restriction). */
export interface Viewer {
  readonly owner?: string;
}

export const viewerOf = (caller: AccessTokenClaims): Viewer => (caller.roles.includes('admin') ? {} : { owner: caller.sub });

/**
 * The owner a list is restricted to: an admin's `owner` filter as given (all owners without one); a
 * user's always themself — naming another user is a 403.
 */
export function ownerFilter(viewer: Viewer, requested: string | undefined, what: string): string | undefined {
  if (viewer.owner === undefined) return requested;
  if (requested !== undefined && requested !== viewer.owner) throw new ForbiddenError(`only an admin may list another user's ${what}`);
  return viewer.owner;
}

/** Not there (undefined), or there with its owner (null for rows from before owners were recorded). */
type Owner = string | null | undefined;

/**
 * Object-level checks: a user reads and acts on their own kits, runs, jobs and decks only, an admin
 * on all. Another user's object answers 404, as if it did not exist (its id tells nothing); starting
 * a run on another user's kit answers 403.
 */
@Injectable()
export class OwnershipQueries {
  private readonly db: Kysely<ReadDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<ReadDatabase>).withSchema(READ_SCHEMA);
  }

  async kit(kitId: number): Promise<Owner> {
    return (await this.db.selectFrom('kits').select('owner').where('kit_id', '=', kitId).executeTakeFirst())?.owner;
  }

  async run(runId: string): Promise<Owner> {
    return (await this.db.selectFrom('runs').select('started_by').where('run_id', '=', runId).executeTakeFirst())?.started_by;
  }

  /** A job's owner is its run's. */
  async job(jobId: string): Promise<Owner> {
    const row = await this.db
      .selectFrom('kit_state')
      .innerJoin('runs', 'runs.run_id', 'kit_state.run_id')
      .select('runs.started_by')
      .where('kit_state.job_id', '=', jobId)
      .executeTakeFirst();
    return row?.started_by;
  }

  async deck(deckId: string): Promise<Owner> {
    return (await this.db.selectFrom('decks').select('uploaded_by').where('deck_id', '=', deckId).executeTakeFirst())?.uploaded_by;
  }

  /** Throws NotFoundError (the same answer as for an unknown id) when the object exists but is not the viewer's. */
  static assertVisible(viewer: Viewer, owner: Owner, what: string): void {
    if (owner === undefined || viewer.owner === undefined || owner === viewer.owner) return;
    throw new NotFoundError(`${what} does not exist`);
  }

  /** Throws ForbiddenError when the kit exists and is another user's. */
  static assertOwnKit(viewer: Viewer, owner: Owner, kitId: number): void {
    if (owner === undefined || viewer.owner === undefined || owner === viewer.owner) return;
    throw new ForbiddenError(`kit ${kitId} belongs to another user`);
  }
}
