import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A target a figure is held against: at least (`min`) or at most (`max`) a value. */
export interface Target {
  readonly min?: number;
  readonly max?: number;
}

export interface ReportRow {
  /** Names a row that has a target in the JSON results. */
  readonly id?: string;
  readonly label: string;
  /** Already formatted (with its unit). */
  readonly figure: string;
  readonly detail?: string;
  readonly value?: number;
  readonly target?: Target;
}

export interface ReportSection {
  readonly title: string;
  readonly rows: ReportRow[];
  /** Lines printed under the section (how it was measured). */
  readonly notes?: string[];
}

export type Verdict = 'PASS' | 'MISS' | 'n/a';

/** PASS when the value meets the target; a missing value is `n/a`, never a pass. */
export function verdict(value: number | undefined, target: Target | undefined): Verdict {
  if (!target) return 'n/a';
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  if (target.min !== undefined && value < target.min) return 'MISS';
  if (target.max !== undefined && value > target.max) return 'MISS';
  return 'PASS';
}

export const describeTarget = (target: Target | undefined, unit = ''): string => {
  if (!target) return '';
  const parts: string[] = [];
  if (target.min !== undefined) parts.push(`≥ ${target.min}${unit}`);
  if (target.max !== undefined) parts.push(`≤ ${target.max}${unit}`);
  return parts.join(', ');
};

/** A fixed-width table: label, figure, target and verdict, then the detail column. */
export function renderReport(header: string[], sections: readonly ReportSection[]): string {
  const rows = sections.flatMap((s) => s.rows);
  const labelWidth = Math.max(40, ...rows.map((r) => r.label.length)) + 2;
  const figureWidth = Math.max(14, ...rows.map((r) => r.figure.length)) + 2;
  const targetWidth = Math.max(10, ...rows.map((r) => describeTarget(r.target, unitOf(r)).length)) + 2;
  const out: string[] = [...header, ''];
  const rule = '─'.repeat(labelWidth + figureWidth + targetWidth + 8);
  out.push(`${'figure'.padEnd(labelWidth)}${'value'.padStart(figureWidth)}  ${'target'.padEnd(targetWidth)}result  detail`);
  for (const section of sections) {
    out.push(rule, section.title);
    for (const row of section.rows) {
      const v = verdict(row.value, row.target);
      const target = describeTarget(row.target, unitOf(row));
      const result = (row.target ? v : '').padEnd(6);
      out.push(
        `  ${row.label.padEnd(labelWidth - 2)}${row.figure.padStart(figureWidth)}  ${target.padEnd(targetWidth)}${result}  ${row.detail ?? ''}`.trimEnd(),
      );
    }
    for (const note of section.notes ?? []) out.push(`    · ${note}`);
  }
  out.push(rule);
  return out.join('\n');
}

// Targets of latency rows are in milliseconds, of memory rows in MiB; ratios have no unit.
const unitOf = (row: ReportRow): string => (row.figure.endsWith(' ms') ? ' ms' : row.figure.endsWith(' MiB') ? ' MiB' : '');

export async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}
