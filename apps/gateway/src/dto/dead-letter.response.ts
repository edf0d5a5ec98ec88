import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { ToInteger } from './transforms.js';

export class DeadLetter {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    enum: ['consumer', 'advisory'],
    description: '`consumer`: parked by the consumer with its reason; `advisory`: the server gave up after max deliveries.',
  })
  source!: 'consumer' | 'advisory';
  @ApiProperty({ description: 'The durable consumer that gave up on the message.' }) consumer!: string;
  @ApiProperty({ description: 'Sequence of the message in the events stream.' }) streamSequence!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The subject the message travelled on (replays go there).' }) subject!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) eventId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Event type, when the message names one.' }) type!: string | null;
  @ApiProperty({ description: "Why it was given up on: the consumer's reason, or the server's max-deliveries advisory." }) reason!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Deliveries made before giving up (advisories).' }) deliveries!: number | null;
  @ApiProperty({ description: 'Whether the message body was kept (a replay needs it).' }) replayable!: boolean;
  @ApiProperty({ format: 'date-time' }) deadLetteredAt!: string;
  @ApiProperty({ description: 'Times it was replayed.' }) replays!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) replayedAt!: string | null;
}

export class DeadLetterPage {
  @ApiProperty({ type: [DeadLetter] }) items!: DeadLetter[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `before` for the next (older) page; null on the last page.' }) nextBefore!: string | null;
}

export class DeadLetterQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: "Only dead letters older than this cursor (the previous page's `nextBefore`)." })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z_[\da-f-]{36}$/i, { message: 'before must be a nextBefore cursor of a previous page' })
  before?: string;

  @ApiPropertyOptional({ description: 'Only those of this consumer.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  consumer?: string;

  @ApiPropertyOptional({ enum: ['consumer', 'advisory'] })
  @IsOptional()
  @IsIn(['consumer', 'advisory'])
  source?: 'consumer' | 'advisory';
}

export class DeadLetterIdParams {
  @ApiProperty({ description: 'Dead letter id.', format: 'uuid' })
  @IsUUID()
  id!: string;
}

export class DeadLetterReplay {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ description: 'The subject the copy was published on.' }) subject!: string;
  @ApiProperty({ description: 'Stream sequence of the replayed copy.' }) sequence!: number;
  @ApiProperty({ description: 'Times it has been replayed, this one included.' }) replays!: number;
}
