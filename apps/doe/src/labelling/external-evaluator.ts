import { Inject, Injectable } from '@nestjs/common';
import { VistaError } from '@vista/contracts';
import { DOE_CONFIG, type DoeConfig } from '../config/doe.config.js';

/**
 * Labels design points through the configured external evaluator (a simulator or a lab system):
 * `POST {factors, responses, points}` → `{responses: {<name>: number[]}}`, in batches.
 */
@Injectable()
export class ExternalEvaluator {
  constructor(@Inject(DOE_CONFIG) private readonly config: DoeConfig) {}

  async label(factors: string[], responses: string[], points: number[][], signal: AbortSignal): Promise<number[][]> {
    const url = this.config.DOE_EVALUATOR_URL;
    if (!url) throw new VistaError('invalid', 'labelling "evaluator" was asked for, but this deployment has no external evaluator (DOE_EVALUATOR_URL is not set)');
    const labels: number[][] = [];
    for (let start = 0; start < points.length; start += this.config.DOE_EVALUATOR_BATCH) {
      const batch = points.slice(start, start + this.config.DOE_EVALUATOR_BATCH);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ factors, responses, points: batch }),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.config.DOE_EVALUATOR_TIMEOUT_MS)]),
      }).catch((error: unknown) => {
        if (signal.aborted) throw signal.reason;
        throw new VistaError('unavailable', `the external evaluator at ${url} could not be reached: ${(error as Error).message}`, { cause: error });
      });
      if (!response.ok) throw new VistaError('unavailable', `the external evaluator answered ${response.status} ${response.statusText}`);
      const body = (await response.json().catch(() => undefined)) as { responses?: Record<string, unknown> } | undefined;
      const columns = responses.map((name) => body?.responses?.[name]);
      columns.forEach((values, r) => {
        if (!Array.isArray(values) || values.length !== batch.length || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
          throw new VistaError('invalid', `the external evaluator's answer lacks ${batch.length} finite values for response ${responses[r]}`);
        }
      });
      batch.forEach((_, i) => labels.push(columns.map((values) => (values as number[])[i]!)));
    }
    return labels;
  }
}
