import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PROJECT_LISTING } from '../queries/project.queries.js';
import { DateFilter, ListQuery, SortOf, TextFilter } from './list.query.js';

export class ProjectListQuery extends ListQuery {
  @SortOf(PROJECT_LISTING) sort?: string;
  @TextFilter('Only projects whose name contains this (case-insensitive).') name?: string;
  @TextFilter("Only this user's projects (a user id). Users other than admins may name only themselves.") owner?: string;
  @DateFilter('Only projects created at or after this time.') createdFrom?: string;
  @DateFilter('Only projects created at or before this time.') createdTo?: string;
}

export class CreateProjectRequest {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}
