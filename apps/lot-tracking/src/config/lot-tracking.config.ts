import { IsInt, Matches, Max, MaxLength, Min } from 'class-validator';
import { Cron } from 'croner';
import { BusEnvironment, DatabaseEnvironment, loadEnvironment } from '@vista/contracts';
import { ServiceEnvironment } from '@vista/service-host';

export class LotTrackingEnvironment {
  @IsInt() @Min(0) @Max(65_535) HTTP_PORT = 3109;
  /** When the daily batch runs (cron, UTC; 5 fields, or 6 with seconds first): 02:10 every day by default. */
  @MaxLength(100) LOT_BATCH_SCHEDULE = '10 2 * * *';
  /** `off` runs no schedule in this process (the batch then runs only from the CronJob or the API). */
  @Matches(/^(on|off)$/) LOT_BATCH_SCHEDULE_ENABLED = 'on';
  /** Rows per prediction request to ml. */
  @IsInt() @Min(1) @Max(10_000) LOT_BATCH_CHUNK_SIZE = 500;
  /** How long one chunk's prediction may take. */
  @IsInt() @Min(100) @Max(600_000) LOT_BATCH_PREDICT_TIMEOUT_MS = 30_000;
  /** A running attempt with no sign of life for this long was abandoned (its process stopped); the next run takes over. */
  @IsInt() @Min(1_000) @Max(86_400_000) LOT_BATCH_STALE_MS = 120_000;
}

export type LotTrackingConfig = ReturnType<typeof loadLotTrackingConfig>;

/** The lot-tracking service's whole configuration, validated once at boot. */
export const loadLotTrackingConfig = (env: Record<string, string | undefined>) => {
  const config = loadEnvironment([DatabaseEnvironment, BusEnvironment, ServiceEnvironment, LotTrackingEnvironment] as const, env);
  try {
    new Cron(config.LOT_BATCH_SCHEDULE, { paused: true, timezone: 'UTC' }).stop();
  } catch (error) {
    throw new Error(`invalid configuration:\n  LOT_BATCH_SCHEDULE=${JSON.stringify(config.LOT_BATCH_SCHEDULE)}: ${(error as Error).message}`);
  }
  return config;
};

export const LOT_TRACKING_CONFIG = Symbol('LOT_TRACKING_CONFIG');
export const LOT_TRACKING_SCHEMA = 'lot_tracking';
