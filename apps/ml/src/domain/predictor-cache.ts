import type { ModelArtifact } from '@vista/modeling';

export interface CachedModel {
  readonly modelId: string;
  readonly modelVersion: number;
  readonly modelName: string;
  readonly artifact: ModelArtifact;
  /** The artifact as JSON, made once, for the prediction workers. */
  readonly artifactJson: string;
}

/** Keeps the most recently used models loaded (a Map keeps insertion order: re-inserting marks use). */
export function createPredictorCache(capacity: number) {
  const entries = new Map<string, CachedModel>();
  return {
    get(modelId: string): CachedModel | undefined {
      const hit = entries.get(modelId);
      if (hit) {
        entries.delete(modelId);
        entries.set(modelId, hit);
      }
      return hit;
    },
    put(stored: { modelId: string; modelVersion: number; modelName: string; artifact: ModelArtifact }): CachedModel {
      const model: CachedModel = { ...stored, artifactJson: JSON.stringify(stored.artifact) };
      entries.set(stored.modelId, model);
      while (entries.size > capacity) entries.delete(entries.keys().next().value!);
      return model;
    },
  };
}
