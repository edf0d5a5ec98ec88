import { ApiProperty } from '@nestjs/swagger';
import { JOB_STATUSES } from '@vista/contracts';

/** A kit run (`read.runs`). */
export class Run {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty() kitId!: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) deckId!: string | null;
  @ApiProperty({ nullable: true, type: String }) sourcePath!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) params!: unknown;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty() position!: number;
}

/** `202` answer of `POST /kits/{kitId}/runs`: the run started; follow it at the Location. */
export class StartedRun {
  @ApiProperty() kitId!: number;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ format: 'uuid', description: 'The deck-collection job the run started with.' }) jobId!: string;
}

export class StoppedRun {
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ type: [String], format: 'uuid' }) cancelledJobIds!: string[];
}
