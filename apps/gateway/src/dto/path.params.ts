import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsUUID, Max, Min } from 'class-validator';
import { ToInteger } from './transforms.js';

/** Kit ids are Postgres `int`s. */
export const KIT_ID_MAX = 2_147_483_647;

export class KitIdParams {
  @ApiProperty({ description: 'Kit id.', minimum: 1, maximum: KIT_ID_MAX, example: 42 })
  @ToInteger()
  @IsInt({ message: 'kitId must be an integer' })
  @Min(1)
  @Max(KIT_ID_MAX)
  kitId!: number;
}

export class RunIdParams {
  @ApiProperty({ description: 'Run id.', format: 'uuid' })
  @IsUUID()
  runId!: string;
}

export class DeckIdParams {
  @ApiProperty({ description: 'Deck id.', format: 'uuid' })
  @IsUUID()
  deckId!: string;
}

export class JobIdParams {
  @ApiProperty({ description: 'Job id (one per stage of a run; a retry is a new attempt of the same job).', format: 'uuid' })
  @IsUUID()
  jobId!: string;
}

export class ModelIdParams {
  @ApiProperty({ description: 'Model id.', format: 'uuid' })
  @IsUUID()
  modelId!: string;
}

export class ProjectIdParams {
  @ApiProperty({ description: 'Project id.', format: 'uuid' })
  @IsUUID()
  projectId!: string;
}
