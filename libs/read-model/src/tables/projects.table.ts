import { sql } from 'kysely';
import { RESOURCES } from './migration-names.js';
import { defineTable, type Timestamp } from './table.js';

/** A project (seed 003's grouping of work): kits name the project they belong to. */
export interface ProjectsTable {
  project_id: string;
  name: string;
  description: string | null;
  owner: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  position: number;
}

export interface ProjectRow {
  project_id: string;
  name: string;
  description: string | null;
  /** Who created it (the ProjectCreated event's actor). */
  owner: string | null;
  created_at: string;
  updated_at: string;
  position: number;
}

export const projectsTable = defineTable<ProjectRow>({
  name: 'projects',
  columns: {
    project_id: 'uuid',
    name: 'text',
    description: 'text',
    owner: 'text',
    created_at: 'timestamptz',
    updated_at: 'timestamptz',
    position: 'bigint',
  },
  merge: {
    key: ['project_id'],
    latest: ['name', 'description', 'updated_at'],
    once: ['owner'],
    earliest: ['created_at'],
  },
  migrations: {
    [RESOURCES]: {
      up: (s) => [
        sql`
          create table ${s}.projects (
            project_id uuid primary key,
            name text not null,
            description text,
            owner text,
            created_at timestamptz not null,
            updated_at timestamptz not null,
            position bigint not null
          )`,
        sql`create index projects_owner on ${s}.projects (owner, created_at desc, project_id)`,
      ],
      down: (s) => [sql`drop table ${s}.projects`],
    },
  },
});
