import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { TableArtifact } from '@vista/contracts';
import type { ModelArtifact } from '@vista/modeling';
import { computeStatistics } from '../../apps/deck/src/domain/deck-statistics.js';
import { parseDeck } from '../../apps/deck/src/domain/parse-deck.js';
import { labelFromDeck, planDesign, resolveDoeParams } from '../../apps/doe/src/domain/design-plan.js';
import { resolveMlParams, runMlPipeline } from '../../apps/ml/src/domain/ml-pipeline.js';
import { resolveOptimizeParams, runOptimization } from '../../apps/optimize/src/domain/optimization-plan.js';
import { median } from './runs-figures.js';

export const FLOOR_STAGES = ['deck', 'doe', 'ml', 'optimize'] as const;
export type FloorStage = (typeof FLOOR_STAGES)[number];

export interface StageFloor {
  readonly stage: FloorStage;
  /** What is timed, as each stage's worker does it. */
  readonly work: string;
  readonly medianMs: number;
  readonly minMs: number;
  /** The first repetition: modules loaded, nothing compiled yet (what a fresh worker thread pays). */
  readonly coldMs: number;
}

export interface Floor {
  readonly repetitions: number;
  readonly stages: StageFloor[];
  /** Sum of the stages' medians: one run's pure computation. */
  readonly sumMs: number;
  /** What the chain produced (a check that the computation did its job). */
  readonly outcome: { rows: number; points: number; r2: number; bestFactors: Record<string, number>; predicted: Record<string, number> };
}

const WORK: Record<FloorStage, string> = {
  deck: 'parseDeck + computeStatistics',
  doe: 'planDesign + labelFromDeck (default LHS, 200 points)',
  ml: 'runMlPipeline: preprocess → scaling → training → test (polynomial)',
  optimize: 'runOptimization (20 starts)',
};

const time = <T>(fn: () => T): { value: T; ms: number } => {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
};

/**
 * Each stage's pure computation on the deck, in this process, with the parameters a run without
 * any gets (the services' resolve*Params defaults), chained as the services chain them: the deck's
 * table feeds the design, the labelled design the ML pipeline, its model the optimiser. Hand-offs
 * go through JSON as between the services, outside the timed part.
 */
export function measureFloor(deckContent: Buffer, repetitions: number, progress: (line: string) => void): Floor {
  const samples: Record<FloorStage, number[]> = { deck: [], doe: [], ml: [], optimize: [] };
  let outcome: Floor['outcome'] | undefined;
  for (let rep = 0; rep < repetitions; rep++) {
    const deck = time(() => {
      const table = parseDeck({ format: 'csv', content: deckContent });
      return { table, statistics: computeStatistics(table) };
    });
    const deckArtifact = JSON.parse(
      JSON.stringify({
        columns: deck.value.table.columns,
        factors: deck.value.table.factors,
        responses: deck.value.table.responses,
        rows: deck.value.table.rows,
      }),
    ) as TableArtifact;

    const doeParams = resolveDoeParams(undefined);
    const doe = time(() => {
      const plan = planDesign(deckArtifact, doeParams);
      return { plan, ...labelFromDeck(deckArtifact, plan.points) };
    });
    const { plan, labels } = doe.value;
    const dataset = JSON.parse(
      JSON.stringify({
        columns: [...plan.factors, ...plan.responses],
        factors: plan.factors,
        responses: plan.responses,
        rows: plan.points.map((p, i) => [...p, ...labels[i]!]),
      }),
    ) as TableArtifact;

    const mlParams = resolveMlParams(undefined);
    const ml = time(() => runMlPipeline({ table: dataset, response: dataset.responses[0]!, params: mlParams, bounds: plan.bounds }, () => undefined));
    const artifact = JSON.parse(JSON.stringify(ml.value.artifact)) as ModelArtifact;

    const optimizeParams = resolveOptimizeParams(undefined);
    const optimized = time(() => runOptimization(artifact, optimizeParams));

    samples.deck.push(deck.ms);
    samples.doe.push(doe.ms);
    samples.ml.push(ml.ms);
    samples.optimize.push(optimized.ms);
    outcome = {
      rows: deck.value.table.rows.length,
      points: plan.points.length,
      r2: ml.value.metrics.r2,
      bestFactors: optimized.value.bestFactors,
      predicted: optimized.value.predicted,
    };
    progress(`floor repetition ${rep + 1}/${repetitions}: ${FLOOR_STAGES.map((s) => `${s} ${samples[s].at(-1)!.toFixed(1)} ms`).join(', ')}`);
  }
  const stages = FLOOR_STAGES.map((stage) => ({
    stage,
    work: WORK[stage],
    medianMs: median(samples[stage]),
    minMs: Math.min(...samples[stage]),
    coldMs: samples[stage][0]!,
  }));
  return { repetitions, stages, sumMs: stages.reduce((sum, s) => sum + s.medianMs, 0), outcome: outcome! };
}

export const readDeck = (path: string): Promise<Buffer> => readFile(path);
