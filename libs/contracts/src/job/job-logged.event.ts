// class-transformer's @Type reads design-time types through reflect-metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { defineEvent } from '../define-event.js';
import { JOB_TYPES, type JobType } from './job-status.js';
import { JobRefV1 } from './job-payloads.js';

export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class JobLogLineV1 {
  @IsISO8601() at!: string;
  @IsIn(LOG_LEVELS) level!: LogLevel;
  /** The step or task the line is about (e.g. `training`). */
  @IsOptional() @IsString() @MaxLength(50) task?: string;
  @IsString() @MaxLength(4000) message!: string;
}

/** Lines a job wrote while it worked (`GET /api/v1/jobs/{jobId}/logs`); recorded with the transitions they explain. */
export class JobLoggedV1 extends JobRefV1 {
  @IsIn(JOB_TYPES) jobType!: JobType;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => JobLogLineV1) lines!: JobLogLineV1[];
}

export const JobLogged = defineEvent({ type: 'JobLogged', version: 1, context: 'run', payload: JobLoggedV1 });
