import { Inject, Injectable } from '@nestjs/common';
import { DATABASE } from '@vista/db';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Project } from '../dto/project.response.js';
import { containsPattern, defineListing, keysetPage, type Page, type PageRequest } from './listing.js';
import { READ_SCHEMA, type ReadDatabase } from './read-model.tables.js';
import { iso } from './row-mapping.js';

/** Projects: the newest first by default. */
export const PROJECT_LISTING = defineListing({
  name: 'projects',
  sorts: {
    createdAt: { sql: sql`projects.created_at`, type: 'timestamptz' },
    name: { sql: sql`projects.name`, type: 'text' },
  },
  id: { sql: sql`projects.project_id`, type: 'uuid' },
  defaultSort: '-createdAt',
});

export interface ProjectFilter {
  readonly owner?: string;
  readonly name?: string;
  readonly createdFrom?: string;
  readonly createdTo?: string;
}

@Injectable()
export class ProjectQueries {
  private readonly db: Kysely<ReadDatabase>;

  constructor(@Inject(DATABASE) db: Kysely<any>) {
    this.db = (db as Kysely<ReadDatabase>).withSchema(READ_SCHEMA);
  }

  async get(projectId: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('project_id', '=', projectId).executeTakeFirst();
    return row && (await this.withCount(toProject(row)));
  }

  /** Not there (undefined), or there with its owner. */
  async owner(projectId: string): Promise<string | null | undefined> {
    return (await this.db.selectFrom('projects').select('owner').where('project_id', '=', projectId).executeTakeFirst())?.owner;
  }

  async list(filter: ProjectFilter, request: PageRequest): Promise<Page<Project>> {
    const query = this.db
      .selectFrom('projects')
      .selectAll()
      .$if(filter.owner !== undefined, (q) => q.where('owner', '=', filter.owner!))
      .$if(filter.name !== undefined, (q) => q.where(sql<boolean>`projects.name ilike ${containsPattern(filter.name!)}`))
      .$if(filter.createdFrom !== undefined, (q) => q.where('created_at', '>=', new Date(filter.createdFrom!)))
      .$if(filter.createdTo !== undefined, (q) => q.where('created_at', '<=', new Date(filter.createdTo!)));
    const page = await keysetPage(PROJECT_LISTING, query, request, (row) => toProject(row as Selectable<ReadDatabase['projects']>));
    return { ...page, items: await Promise.all(page.items.map((p) => this.withCount(p))) };
  }

  private async withCount(project: Project): Promise<Project> {
    const { rows } = await sql<{ kits: string }>`
      select count(*) as kits from ${sql.table(`${READ_SCHEMA}.kits`)} where definition ->> 'projectId' = ${project.projectId}`.execute(this.db);
    return { ...project, kits: Number(rows[0]?.kits ?? 0) };
  }
}

function toProject(row: Selectable<ReadDatabase['projects']>): Project {
  return {
    projectId: row.project_id,
    name: row.name,
    description: row.description,
    owner: row.owner,
    kits: 0,
    createdAt: iso(row.created_at),
    links: { kits: `/api/v1/projects/${row.project_id}/kits`, jobs: `/api/v1/projects/${row.project_id}/jobs` },
    position: row.position,
  };
}
