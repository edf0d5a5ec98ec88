import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProblemIssue {
  @ApiProperty({ example: 'kitId', description: 'The field (or row/column) at fault.' }) path!: string;
  @ApiProperty({ example: 'kitId must not be less than 1' }) message!: string;
}

/** RFC 9457 problem details (`application/problem+json`). */
export class ProblemResponse {
  @ApiProperty({ example: 'https://vista.dev/problems/invalid', description: 'Identifies the kind of problem: `…/problems/<code>`.' }) type!: string;
  @ApiProperty({ example: 'Invalid request' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'kitId must not be less than 1' }) detail!: string;
  @ApiProperty({ example: '/api/v1/kits/0/state', description: 'The request path.' }) instance!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Same as the `Vista-Correlation-Id` response header.' }) correlationId?: string;
  @ApiPropertyOptional({ type: [ProblemIssue] }) errors?: ProblemIssue[];
}
