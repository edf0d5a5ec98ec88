import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATUSES } from '@vista/contracts';
import { RUN_ACTIONS } from './run-control.request.js';

/** The latest stop or retry asked for a run. */
export class RunControlView {
  @ApiProperty({ enum: RUN_ACTIONS }) action!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ description: 'Who asked (a user id).' }) actor!: string;
  @ApiProperty({ description: 'Stream position of the control event.' }) position!: number;
}

/** A kit run (`read.runs`). */
export class Run {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty() kitId!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) deckId!: string | null;
  @ApiProperty({ nullable: true, type: String }) sourcePath!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) params!: unknown;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ type: RunControlView, nullable: true, description: 'The latest stop or retry, if any.' }) lastControl!: RunControlView | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who started the run (a user id).' }) startedBy!: string | null;
  @ApiProperty() position!: number;
}

/** `202` answer of `POST /kits/{kitId}/runs`: the run started; follow it at the Location. */
export class StartedRun {
  @ApiProperty() kitId!: number;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ format: 'uuid', description: 'The deck-collection job the run started with.' }) jobId!: string;
}

/** `202` answer of `POST /runs/{runId}/control`: the deck service recorded the control; the stages act on it. */
export class ControlledRun {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ enum: RUN_ACTIONS }) action!: string;
  @ApiProperty({ example: '/api/v1/runs/4f0c…', description: 'Where to follow the run (`GET /api/v1/runs/{runId}`; also the Location header).' })
  status!: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'For `stop`: the jobs the deck service cancelled itself.' })
  cancelledJobIds?: string[];
}
