import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';
import { type CommandDefinition, defineCommand } from '../define-command.js';
import type { JobType } from './job-status.js';

/** Asks a stage service where these runs' jobs stand in its queue. */
export class GetQueuePositionsV1 {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsUUID('all', { each: true }) runIds!: string[];
}

export interface QueuePositionV1 {
  /** 1 for the job a free worker takes next. */
  readonly position: number;
  /** Jobs waiting in the stage's queue. */
  readonly waiting: number;
}

export interface GetQueuePositionsResult {
  /** By run id; a run whose job is not waiting is left out. */
  readonly positions: Record<string, QueuePositionV1>;
}

const getQueuePositions = <C extends JobType>(context: C) =>
  defineCommand<'GetQueuePositions', GetQueuePositionsV1, GetQueuePositionsResult>({
    name: 'GetQueuePositions',
    context,
    payload: GetQueuePositionsV1,
    access: { users: 'any', services: true },
  });

/** The same question to each stage service (each answers on its own subject, `cmd.<stage>.GetQueuePositions`). */
export const GetQueuePositions: Readonly<Record<JobType, CommandDefinition<'GetQueuePositions', GetQueuePositionsV1, GetQueuePositionsResult>>> = {
  deck: getQueuePositions('deck'),
  doe: getQueuePositions('doe'),
  ml: getQueuePositions('ml'),
  optimize: getQueuePositions('optimize'),
};
