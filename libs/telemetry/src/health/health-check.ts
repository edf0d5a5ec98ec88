/** One readiness dependency (Postgres, NATS, projector lag...), supplied by the service. */
export interface HealthCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail?: Record<string, unknown> }>;
}

export interface HealthCheckResult {
  ok: boolean;
  detail?: Record<string, unknown>;
  /** Why the check failed when it threw or ran out of time. */
  error?: string;
}

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, HealthCheckResult>;
}

/** How long a check may take before it counts as failed. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 2_000;

/** Two checks under one name would hide each other in the report. */
export class DuplicateHealthCheckError extends Error {
  override readonly name = 'DuplicateHealthCheckError';
}

/** Refuses checks that share a name; returns them unchanged otherwise. */
export function assertUniqueNames(checks: readonly HealthCheck[]): readonly HealthCheck[] {
  const seen = new Set<string>();
  for (const { name } of checks) {
    if (seen.has(name)) throw new DuplicateHealthCheckError(`health check "${name}" is registered twice`);
    seen.add(name);
  }
  return checks;
}

/** Runs every check concurrently, each time-boxed; ready only when all are ok. */
export async function runHealthChecks(checks: readonly HealthCheck[], timeoutMs: number = DEFAULT_HEALTH_CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((c) => runOne(c, timeoutMs)));
  const report: ReadinessReport = { status: 'ok', checks: {} };
  checks.forEach((c, i) => {
    const result = results[i]!;
    report.checks[c.name] = result;
    if (!result.ok) report.status = 'unavailable';
  });
  return report;
}

async function runOne(healthCheck: HealthCheck, timeoutMs: number): Promise<HealthCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthCheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  const attempt = (async (): Promise<HealthCheckResult> => {
    try {
      const { ok, detail } = await healthCheck.check();
      return detail === undefined ? { ok: ok === true } : { ok: ok === true, detail };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  })();
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
