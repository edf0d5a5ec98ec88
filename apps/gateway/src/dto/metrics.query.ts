import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_HISTORY_HOURS, MAX_RESOURCE_MINUTES, PROMETHEUS_METRIC_NAME } from '@vista/contracts';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';
import { ToInteger } from './transforms.js';

export class LatencyHistoryQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_HISTORY_HOURS, default: 1, description: 'How many hours back, up to now.' })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'hours must be an integer' })
  @Min(1, { message: 'hours must be at least 1' })
  @Max(MAX_HISTORY_HOURS, { message: `hours must be at most ${MAX_HISTORY_HOURS}` })
  hours: number = 1;

  @ApiPropertyOptional({ description: 'Only this model (its name, as `model` in the answers); unknown names are refused.', example: 'kit-42-v1-ridge' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  model_name?: string;
}

export class ResourceSeriesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_RESOURCE_MINUTES, default: 10, description: 'How many minutes back, up to now.' })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'minutes must be an integer' })
  @Min(1, { message: 'minutes must be at least 1' })
  @Max(MAX_RESOURCE_MINUTES, { message: `minutes must be at most ${MAX_RESOURCE_MINUTES}` })
  minutes: number = 10;

  @ApiPropertyOptional({ minimum: 1, maximum: 3600, default: 60, description: 'Seconds between points.' })
  @IsOptional()
  @ToInteger()
  @IsInt({ message: 'step must be an integer number of seconds' })
  @Min(1, { message: 'step must be at least 1' })
  @Max(3600, { message: 'step must be at most 3600' })
  step: number = 60;
}

export class ServiceParams {
  @ApiProperty({ description: 'A service name as Prometheus labels it (`service`), e.g. `ml`.', example: 'ml' })
  @Matches(/^[a-z][a-z0-9-]*$/, { message: 'service must be a service name (lower-case letters, digits, dashes)' })
  @MaxLength(63)
  service!: string;
}

export class CollectLatencyRequest {
  @ApiPropertyOptional({ description: 'Another Prometheus than the configured one.', example: 'http://prometheus:9090' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }, { message: 'prometheus_url must be an http(s) URL' })
  @MaxLength(500)
  prometheus_url?: string;

  @ApiPropertyOptional({ description: 'Another histogram than the prediction-latency one (base name).', example: 'api_response_time_seconds' })
  @IsOptional()
  @Matches(PROMETHEUS_METRIC_NAME, { message: 'metric_name must be a Prometheus metric name' })
  @MaxLength(200)
  metric_name?: string;
}
