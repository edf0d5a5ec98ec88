import { ApiProperty } from '@nestjs/swagger';

export class ProjectorFreshness {
  @ApiProperty({ description: 'Highest stream position the projector has applied.' }) position!: number;
  @ApiProperty({ description: 'Events in the stream not applied yet.' }) lagEvents!: number;
  @ApiProperty({ description: 'Age of the oldest event not applied yet.' }) lagSeconds!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Last sign of life of the projector.' }) heartbeatAt!: string | null;
}

export class Freshness {
  @ApiProperty({ description: "The answer's version: highest position over the rows it was built from (also `Vista-Position`)." }) position!: number;
  @ApiProperty({ type: ProjectorFreshness, nullable: true, description: 'Null until the projector has reported once.' }) projector!: ProjectorFreshness | null;
}
