import { VistaError } from '@vista/contracts';
import type { RangeValues } from '../domain/resource-query.js';
import type { VectorSample } from '../domain/latency-query.js';

/** Prometheus did not answer a query usefully: unreachable, an HTTP error, a query error or a timeout. The message is the reason. */
export class PrometheusUnavailableError extends VistaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unavailable', message, options);
  }
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

/** A client of Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`, label values). */
export class PrometheusClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  /** An instant vector at `time`. */
  async query(expr: string, time: Date): Promise<VectorSample[]> {
    const data = await this.get<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }>('/api/v1/query', {
      query: expr,
      time: (time.getTime() / 1000).toFixed(3),
    });
    if (data.resultType !== 'vector') throw new PrometheusUnavailableError(`Prometheus answered a ${data.resultType}, not a vector, for ${expr}`);
    return data.result.map((r) => ({ metric: r.metric, value: r.value[1] }));
  }

  /** A range query summed to one series (the first; empty when Prometheus has none). */
  async queryRange(expr: string, start: Date, end: Date, stepSeconds: number): Promise<RangeValues> {
    const data = await this.get<{ result: { values: [number, string][] }[] }>('/api/v1/query_range', {
      query: expr,
      start: (start.getTime() / 1000).toFixed(3),
      end: (end.getTime() / 1000).toFixed(3),
      step: String(stepSeconds),
    });
    return data.result[0]?.values ?? [];
  }

  /** The values a label takes on the series of `match`. */
  labelValues(label: string, match?: string): Promise<string[]> {
    return this.get<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, match ? { 'match[]': match } : {});
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${path}?${new URLSearchParams(params)}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const why =
        (error as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new PrometheusUnavailableError(`Prometheus at ${this.baseUrl} is unreachable: ${why}`, { cause: error });
    }
    const text = await response.text().catch(() => '');
    let body: ApiAnswer<T> | undefined;
    try {
      body = JSON.parse(text) as ApiAnswer<T>;
    } catch {
      body = undefined;
    }
    if (!response.ok || body?.status !== 'success' || body.data === undefined) {
      const detail = body?.error ? `${body.errorType ?? 'error'}: ${body.error}` : text.slice(0, 200) || 'empty body';
      throw new PrometheusUnavailableError(`Prometheus at ${this.baseUrl} answered HTTP ${response.status} to ${path}: ${detail}`);
    }
    return body.data;
  }
}
