import type { LatencyStatus, LatencyThresholds } from '@vista/contracts';

/** A model's status from its p95: under the warning threshold good, under the danger threshold warning, otherwise danger. */
export function latencyStatus(p95Ms: number | null, thresholds: LatencyThresholds): LatencyStatus | null {
  if (p95Ms === null) return null;
  if (p95Ms < thresholds.warningMs) return 'good';
  if (p95Ms < thresholds.dangerMs) return 'warning';
  return 'danger';
}
