import { IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { defineEvent } from '../define-event.js';

/** A project (seed 003's grouping of work) was created; its creator owns it. */
export class ProjectCreatedV1 {
  @IsUUID() projectId!: string;
  @IsString() @MaxLength(200) name!: string;
  @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @IsISO8601() createdAt!: string;
}

export const ProjectCreated = defineEvent({
  type: 'ProjectCreated',
  version: 1,
  context: 'run',
  payload: ProjectCreatedV1,
  subjectKey: (p) => `project-${p.projectId}`,
});
