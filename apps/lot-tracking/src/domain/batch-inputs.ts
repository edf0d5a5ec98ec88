import { createHash } from 'node:crypto';

export interface BatchRow {
  readonly rowId: string;
  readonly version: number;
  readonly lotId: string;
  readonly product: string;
  readonly processStep: string;
  readonly equipment: string;
  readonly waferCount: number;
  readonly setupModelId: string;
  readonly factors: Record<string, number>;
}

export interface BatchModel {
  readonly setupModelId: string;
  readonly registryModelId: string;
  readonly modelVersion: number | null;
  readonly factors: readonly string[] | null;
  readonly response: string | null;
}

export interface BatchPlan {
  /** Rows to predict, by row id. */
  readonly rows: BatchRow[];
  /** Active rows left out, with why (their model is not known, or their factors are not the model's). */
  readonly skipped: { rowId: string; reason: string }[];
  /** Set-up model → the registry model and version its rows are predicted with. */
  readonly models: Record<string, { registryModelId: string; modelVersion: number }>;
  /** sha256 over the rows and model versions: the same inputs give the same digest. */
  readonly digest: string;
}

const sortedFactors = (factors: Record<string, number>) =>
  Object.keys(factors)
    .sort()
    .map((k) => [k, factors[k]]);

/** Which rows a date's batch predicts, with which models, and the digest of those inputs. Pure. */
export function planBatch(active: readonly BatchRow[], models: ReadonlyMap<string, BatchModel>): BatchPlan {
  const rows: BatchRow[] = [];
  const skipped: { rowId: string; reason: string }[] = [];
  const used: Record<string, { registryModelId: string; modelVersion: number }> = {};
  for (const row of [...active].sort((a, b) => (a.rowId < b.rowId ? -1 : a.rowId > b.rowId ? 1 : 0))) {
    const model = models.get(row.setupModelId);
    if (!model) {
      skipped.push({ rowId: row.rowId, reason: `set-up model ${row.setupModelId} is not known` });
      continue;
    }
    if (model.modelVersion === null) {
      skipped.push({ rowId: row.rowId, reason: `registry model ${model.registryModelId} is not registered` });
      continue;
    }
    const missing = (model.factors ?? []).filter((f) => !(f in row.factors));
    if (missing.length > 0) {
      skipped.push({ rowId: row.rowId, reason: `factors ${missing.join(', ')} are missing` });
      continue;
    }
    rows.push(row);
    used[row.setupModelId] = { registryModelId: model.registryModelId, modelVersion: model.modelVersion };
  }
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify(
      Object.keys(used)
        .sort()
        .map((id) => [id, used[id]!.registryModelId, used[id]!.modelVersion]),
    ),
  );
  for (const r of rows) {
    hash.update('\n');
    hash.update(JSON.stringify([r.rowId, r.version, r.lotId, r.product, r.processStep, r.equipment, r.waferCount, r.setupModelId, sortedFactors(r.factors)]));
  }
  return { rows, skipped, models: used, digest: hash.digest('hex') };
}

/** Splits rows into chunks of one model each, at most `size` rows long. */
export function chunksByModel(rows: readonly BatchRow[], size: number): BatchRow[][] {
  const byModel = new Map<string, BatchRow[]>();
  for (const r of rows) byModel.set(r.setupModelId, [...(byModel.get(r.setupModelId) ?? []), r]);
  const chunks: BatchRow[][] = [];
  for (const group of byModel.values()) for (let i = 0; i < group.length; i += size) chunks.push(group.slice(i, i + size));
  return chunks;
}

/** The UTC calendar date of an instant (`YYYY-MM-DD`). */
export const utcDate = (at: Date): string => at.toISOString().slice(0, 10);
