import { ApiProperty } from '@nestjs/swagger';
import { Freshness } from './freshness.response.js';

export class ProjectLinks {
  @ApiProperty({ example: '/api/v1/projects/…/kits' }) kits!: string;
  @ApiProperty({ example: '/api/v1/projects/…/jobs' }) jobs!: string;
}

/** A project (seed 003's grouping): kits belong to it. */
export class Project {
  @ApiProperty({ format: 'uuid' }) projectId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who created it: its owner.' }) owner!: string | null;
  @ApiProperty({ description: 'Kits that belong to it.' }) kits!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: ProjectLinks }) links!: ProjectLinks;
  @ApiProperty() position!: number;
}

export class ProjectPage {
  @ApiProperty({ type: [Project] }) items!: Project[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor!: string | null;
  @ApiProperty() sort!: string;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: () => Freshness }) freshness!: Freshness;
}
