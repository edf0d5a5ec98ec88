/** The process metrics every Vista service exports (prom-client's defaults), which the resource series read. */
export const RESOURCE_METRICS = [
  { name: 'process_cpu_seconds_total', unit: 'cores', description: 'CPU time used per second (rate), summed over the replicas' },
  { name: 'process_resident_memory_bytes', unit: 'bytes', description: 'Resident memory, summed over the replicas' },
] as const;

/** CPU in cores over time: the rate of CPU seconds, over a window of at least a minute so a few scrapes always fall in it. */
export const cpuQuery = (service: string, stepSeconds: number): string =>
  `sum(rate(process_cpu_seconds_total{service="${service}"}[${Math.max(60, 2 * stepSeconds)}s]))`;

export const memoryQuery = (service: string): string => `sum(process_resident_memory_bytes{service="${service}"})`;

/** One series of a range answer: `[unix seconds, "value"]` pairs. */
export type RangeValues = readonly (readonly [number, string])[];

/** Joins the CPU and memory series on their timestamps, oldest first. */
export function joinResourceSeries(cpu: RangeValues, memory: RangeValues): { timestamp: string; cpuCores: number | null; memoryBytes: number | null }[] {
  const points = new Map<number, { cpuCores: number | null; memoryBytes: number | null }>();
  const finite = (v: string) => (Number.isFinite(Number(v)) ? Number(v) : null);
  for (const [t, v] of cpu) points.set(t, { cpuCores: finite(v), memoryBytes: null });
  for (const [t, v] of memory) points.set(t, { cpuCores: points.get(t)?.cpuCores ?? null, memoryBytes: finite(v) });
  return [...points.entries()].sort(([a], [b]) => a - b).map(([t, p]) => ({ timestamp: new Date(t * 1000).toISOString(), ...p }));
}
