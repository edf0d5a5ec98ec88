import { describe, expect, it } from '@jest/globals';
import { type StageEvent, foldStage, isActive, isRetryable, lifecycleEvent } from './stage-job.js';
import { ML_SPEC as ML } from './testing/stage-specs.js';

const ref = { kitId: 7, runId: 'run-1', jobId: 'job-1' };
const at = '2026-11-22T10:00:00.000Z';
const ev = (type: string, data: Record<string, unknown>, causationId?: string): StageEvent => ({
  type,
  data: { ...ref, ...data },
  ...(causationId ? { causationId } : {}),
});

describe('a stage job folded from its events', () => {
  it('keeps the first request as the input and moves step by step to SUCCESS', () => {
    const run = foldStage(ML, [
      ev('MlStepRequested', { attempt: 1, step: 'preprocess', stepOrder: 1, requestedAt: at, timeoutMs: 1000, datasetId: 'd-1' }, 'trigger-1'),
      ev('MlStepStarted', { attempt: 1, step: 'preprocess', startedAt: at }),
      ev('MlPreprocessCompleted', { attempt: 1, completedAt: at, rowsIn: 10, rowsOut: 9 }),
      ev('MlStepRequested', { attempt: 1, step: 'scaling', stepOrder: 2, requestedAt: at, timeoutMs: 1000, datasetId: 'd-1' }),
      ev('MlStepStarted', { attempt: 1, step: 'scaling', startedAt: at }),
      ev('JobLogged', { attempt: 1, lines: [] }),
    ]);
    expect(run.version).toBe(6);
    expect(run.causations.has('trigger-1')).toBe(true);
    expect(run.job).toMatchObject({ status: 'RUNNING', step: 'scaling', attempt: 1, input: { datasetId: 'd-1' }, startedAt: at });
    expect(run.job!.outputs.preprocess).toMatchObject({ rowsOut: 9 });
    expect(isActive(run.job)).toBe(true);
  });

  it('records a failure in its step with the reason, and a retry opens attempt 2 with the same input', () => {
    const failed = foldStage(ML, [
      ev('MlStepRequested', { attempt: 1, step: 'preprocess', stepOrder: 1, requestedAt: at, timeoutMs: 1000, datasetId: 'd-1' }),
      ev('MlStepStarted', { attempt: 1, step: 'preprocess', startedAt: at }),
      ev('MlStepFailed', { attempt: 1, step: 'preprocess', failedAt: at, reason: 'the response y is constant' }),
    ]);
    expect(failed.job).toMatchObject({ status: 'FAILED', step: 'preprocess', reason: 'the response y is constant' });
    expect(isRetryable(failed.job)).toBe(true);

    const retry = lifecycleEvent(
      ML,
      'requested',
      { ...failed.job!, attempt: 2, step: 'preprocess' },
      { requestedAt: at, timeoutMs: 1000, ...failed.job!.input },
    );
    expect(retry).toEqual({
      type: 'MlStepRequested',
      data: { ...ref, attempt: 2, step: 'preprocess', stepOrder: 1, requestedAt: at, timeoutMs: 1000, datasetId: 'd-1' },
    });
    const retried = foldStage(ML, [
      ev('MlStepRequested', { attempt: 1, step: 'preprocess', stepOrder: 1, requestedAt: at, timeoutMs: 1000, datasetId: 'd-1' }),
      ev('MlStepFailed', { attempt: 1, step: 'preprocess', failedAt: at, reason: 'the response y is constant' }),
      { type: retry.type, data: retry.data },
    ]);
    expect(retried.job).toMatchObject({ attempt: 2, status: 'PENDING', outputs: {}, input: { datasetId: 'd-1' } });
    expect(retried.job!.reason).toBeUndefined();
  });

  it('ends SUCCESS only when the last step completes', () => {
    const events = ['preprocess', 'scaling', 'training'].flatMap((step, i) => [
      ev('MlStepRequested', { attempt: 1, step, stepOrder: i + 1, requestedAt: at, timeoutMs: 1000, datasetId: 'd-1' }),
      ev(ML.events.completed[step]!, { attempt: 1, completedAt: at }),
    ]);
    expect(foldStage(ML, events).job?.status).toBe('RUNNING');
    const done = foldStage(ML, [
      ...events,
      ev('MlStepRequested', { attempt: 1, step: 'test', stepOrder: 4, requestedAt: at, timeoutMs: 1000 }),
      ev('MlTestCompleted', { attempt: 1, completedAt: at }),
    ]);
    expect(done.job).toMatchObject({ status: 'SUCCESS', step: 'test', finishedAt: at });
    expect(isActive(done.job)).toBe(false);
    expect(isRetryable(done.job)).toBe(false);
  });

  it('is CANCELLED by a stop in whichever step runs, and TIMEOUT says how long it had', () => {
    const base = [ev('MlStepRequested', { attempt: 1, step: 'preprocess', stepOrder: 1, requestedAt: at, timeoutMs: 500, datasetId: 'd-1' })];
    expect(foldStage(ML, [...base, ev('MlStepCancelled', { attempt: 1, step: 'preprocess', cancelledAt: at, reason: 'stopped by alice' })]).job).toMatchObject({
      status: 'CANCELLED',
      reason: 'stopped by alice',
    });
    expect(foldStage(ML, [...base, ev('MlStepTimedOut', { attempt: 1, step: 'preprocess', timedOutAt: at, timeoutMs: 500 })]).job).toMatchObject({
      status: 'TIMEOUT',
      reason: 'timed out after 500 ms',
    });
  });
});
