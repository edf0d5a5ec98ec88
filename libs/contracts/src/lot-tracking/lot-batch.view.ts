import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export const isBusinessDate = (value: unknown): value is string => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

export function IsBusinessDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBusinessDate',
      validator: {
        validate: isBusinessDate,
        defaultMessage: (args) => `${args?.property ?? 'date'} must be a calendar date YYYY-MM-DD`,
      },
    },
    options,
  );
}

export type LotBatchTrigger = 'schedule' | 'manual' | 'api';
/** `running`; `succeeded` (results published); `unchanged` (same inputs as the published results); `failed` (with its reason). */
export type LotBatchStatus = 'running' | 'succeeded' | 'unchanged' | 'failed';

/** One attempt of the daily batch for a business date. */
export interface LotBatchView {
  readonly attemptId: string;
  readonly businessDate: string;
  readonly trigger: LotBatchTrigger;
  readonly actor: string;
  readonly status: LotBatchStatus;
  /** sha256 of the inputs: every predicted row (id, version, fields, factors) and the model version it used. */
  readonly digest: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** Rows to predict, rows predicted so far, rows left out (retired, or their model not predictable). */
  readonly totalRows: number;
  readonly predictedRows: number;
  readonly skippedRows: number;
  /** Set-up model → the registry model and version its rows were predicted with. */
  readonly models: Record<string, { registryModelId: string; modelVersion: number }>;
  readonly reason: string | null;
  /** Whether this attempt's results are the ones the date shows. */
  readonly current: boolean;
}
