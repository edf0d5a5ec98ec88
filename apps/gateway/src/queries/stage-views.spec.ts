import { describe, expect, it } from '@jest/globals';
import type { DoeStepTable, MlStepTable, OptimizeStepTable } from './read-model.tables.js';
import { attemptsOf, latestPerStage, newestFirst, toStageState } from './stage-views.js';

const JOB = '6b1d3a1e-6f0e-4a43-9d8e-2f1a5c0b7e11';
const ML_JOB = '0c4f9d2b-3c55-4c2e-8a1d-7e2b9f6a1c22';
const RUN = 'a4a5f7c8-1d2e-4f3a-9b8c-7d6e5f4a3b21';
const at = (seconds: number) => new Date(Date.UTC(2026, 2, 1, 8, 0, seconds));

const stage = (over: Partial<DoeStepTable> & { attempt: number; position: number }): DoeStepTable => ({
  job_id: JOB,
  run_id: RUN,
  kit_id: 7,
  status: 'SUCCESS',
  reason: null,
  requested_at: at(0),
  started_at: at(1),
  finished_at: at(2),
  timeout_ms: 300_000,
  created_at: at(0),
  updated_at: at(2),
  metadata: {},
  result: null,
  summary: null,
  data_info: null,
  ...over,
});

const step = (name: string, order: number, over: Partial<MlStepTable> = {}): MlStepTable => ({
  ...stage({ attempt: 1, position: 20 + order }),
  job_id: ML_JOB,
  step_name: name,
  step_order: order,
  requested_at: at(10 * order),
  started_at: at(10 * order + 1),
  finished_at: at(10 * order + 2),
  updated_at: at(10 * order + 2),
  ...over,
});

describe('stage views', () => {
  it("shows a doe job's attempts newest first, each with its own times, reason and result", () => {
    const attempts = newestFirst(
      attemptsOf({
        deck: [],
        doe: [
          stage({ attempt: 1, position: 3, status: 'FAILED', reason: 'no deck', finished_at: at(2) }),
          stage({
            attempt: 2,
            position: 9,
            requested_at: at(5),
            started_at: at(6),
            finished_at: at(8),
            result: { designType: 'lhs', pointCount: 20, dataInfo: { rows: 20 } },
          }),
        ],
        ml: [],
        optimize: [],
      }),
    );
    expect(attempts.map((a) => [a.attempt, a.status, a.reason, a.startedAt, a.finishedAt])).toEqual([
      [2, 'SUCCESS', null, at(6).toISOString(), at(8).toISOString()],
      [1, 'FAILED', 'no deck', at(1).toISOString(), at(2).toISOString()],
    ]);
    expect(attempts[0]!.detail).toEqual({ designType: 'lhs', pointCount: 20, dataInfo: { rows: 20 } });
    expect(attempts[1]!.detail).toBeNull();
  });

  it('rolls the steps of an ML attempt up: running between steps, ended as the step that failed', () => {
    const running = attemptsOf({
      deck: [],
      doe: [],
      ml: [
        step('scaling', 2, { status: 'PENDING', started_at: null, finished_at: null }),
        step('preprocess', 1, { result: { rowsIn: 20, rowsOut: 19, report: { outliers: 1 } } }),
      ],
      optimize: [],
    });
    expect(running).toEqual([
      expect.objectContaining({ jobType: 'ml', status: 'RUNNING', startedAt: at(11).toISOString(), finishedAt: null, detail: null, position: 22 }),
    ]);
    expect(running[0]!.steps!.map((s) => [s.step, s.status, s.detail])).toEqual([
      ['preprocess', 'SUCCESS', { rowsIn: 20, rowsOut: 19, report: { outliers: 1 } }],
      ['scaling', 'PENDING', null],
    ]);

    const failed = attemptsOf({
      deck: [],
      doe: [],
      ml: [step('preprocess', 1), step('scaling', 2, { status: 'FAILED', reason: 'constant column' }), step('training', 3, { attempt: 2, status: 'PENDING' })],
      optimize: [],
    });
    expect(newestFirst(failed).map((a) => [a.attempt, a.status, a.reason, a.finishedAt])).toEqual([
      [2, 'PENDING', null, null],
      [1, 'FAILED', 'constant column', at(22).toISOString()],
    ]);
  });

  it('ends an ML attempt SUCCESS when its test step succeeded, with the model and its metrics', () => {
    const [attempt] = attemptsOf({
      deck: [],
      doe: [],
      ml: [
        step('preprocess', 1),
        step('scaling', 2),
        step('training', 3, { result: { modelId: 'm', algorithm: 'ridge', hyperparameters: { alpha: 0.1 } } }),
        step('test', 4, { result: { modelId: 'm', rmse: 0.4, r2: 0.93 } }),
      ],
      optimize: [],
    });
    expect(attempt).toMatchObject({
      status: 'SUCCESS',
      finishedAt: at(42).toISOString(),
      detail: { modelId: 'm', algorithm: 'ridge', hyperparameters: { alpha: 0.1 }, rmse: 0.4, r2: 0.93 },
    });
  });

  it("picks each stage's newest attempt, in chain order", () => {
    const optimize: OptimizeStepTable = { ...stage({ attempt: 1, position: 40 }), job_id: 'opt' };
    const stages = latestPerStage(
      attemptsOf({
        deck: [],
        doe: [stage({ attempt: 1, position: 3 }), stage({ attempt: 2, position: 9 })],
        ml: [step('preprocess', 1)],
        optimize: [optimize],
      }),
    );
    expect(stages.map((s) => [s.jobType, s.attempt])).toEqual([
      ['doe', 2],
      ['ml', 1],
      ['optimize', 1],
    ]);
  });

  it("shows a stage in the kit's state with its headline figures and links, leaving the trace and data_info to the job's URL", () => {
    const optimize: OptimizeStepTable = {
      ...stage({ attempt: 1, position: 40 }),
      job_id: 'opt',
      result: {
        modelId: 'm',
        bestFactors: { x1: 1.5 },
        predicted: { y: 3 },
        objective: 3,
        goal: { kind: 'minimize' },
        evaluations: 600,
        starts: 20,
        trace: [{ x1: 0, y: 9 }],
        tuning: { tolerance: 1e-6 },
      },
    };
    const doe = stage({ attempt: 1, position: 9, result: { designType: 'lhs', pointCount: 20, datasetId: 'ds', dataInfo: { rows: 20 } } });
    const [doeState, mlState, optimizeState] = latestPerStage(
      attemptsOf({
        deck: [],
        doe: [doe],
        ml: [step('training', 3, { result: { modelId: 'm', algorithm: 'ridge', hyperparameters: { alpha: 0.1 } } })],
        optimize: [optimize],
      }),
    ).map(toStageState);
    expect(doeState).toMatchObject({
      summary: { designType: 'lhs', pointCount: 20, datasetId: 'ds' },
      links: { job: `/api/v1/jobs/${JOB}`, logs: `/api/v1/jobs/${JOB}/logs` },
    });
    expect(optimizeState!.summary).toEqual({
      modelId: 'm',
      bestFactors: { x1: 1.5 },
      predicted: { y: 3 },
      objective: 3,
      goal: { kind: 'minimize' },
      evaluations: 600,
      starts: 20,
    });
    expect(mlState!.summary).toBeNull();
    expect(mlState!.steps).toEqual([
      expect.objectContaining({ step: 'training', summary: { modelId: 'm', algorithm: 'ridge', hyperparameters: { alpha: 0.1 } } }),
    ]);
    expect(mlState!.steps![0]).not.toHaveProperty('detail');
    for (const state of [doeState, mlState, optimizeState]) expect(state).not.toHaveProperty('detail');
  });
});
