import { describe, expect, it } from '@jest/globals';
import { metricSamples, metricSum } from './prometheus-text.js';

const TEXT = `# HELP vista_job_work_begun_total Times this replica began a job's work
# TYPE vista_job_work_begun_total counter
vista_job_work_begun_total{stage="doe",how="started",service="doe"} 12
vista_job_work_begun_total{stage="doe",how="taken-over",service="doe"} 1
vista_job_work_begun_total_other{stage="doe"} 7
vista_jobs_running{stage="doe",service="doe"} 2
process_uptime 3.5
`;

describe('metricSamples', () => {
  it('reads the samples of one metric with their labels', () => {
    expect(metricSamples(TEXT, 'vista_job_work_begun_total')).toEqual([
      { labels: { stage: 'doe', how: 'started', service: 'doe' }, value: 12 },
      { labels: { stage: 'doe', how: 'taken-over', service: 'doe' }, value: 1 },
    ]);
    expect(metricSamples(TEXT, 'process_uptime')).toEqual([{ labels: {}, value: 3.5 }]);
  });

  it('sums the samples whose labels match', () => {
    expect(metricSum(TEXT, 'vista_job_work_begun_total', { stage: 'doe' })).toBe(13);
    expect(metricSum(TEXT, 'vista_job_work_begun_total', { how: 'taken-over' })).toBe(1);
    expect(metricSum(TEXT, 'vista_job_work_begun_total', { stage: 'ml' })).toBe(0);
  });
});
