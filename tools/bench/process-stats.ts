import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** CPU seconds (user + system) of one process, or undefined when /proc cannot tell. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds of every process whose command name starts with `name` (all Postgres backends,
 * nats-server), by pid: a phase's cost is the sum of per-pid differences, so a backend that exits
 * meanwhile cannot make it negative.
 */
export function cpuSecondsByName(name: string): Map<number, number> | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const byPid = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!command.startsWith(name)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byPid.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / USER_HZ);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return byPid.size > 0 ? byPid : undefined;
}

/** CPU seconds the processes of `after` spent since `before` (a process new since then counts from zero). */
export function cpuSecondsSince(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | undefined {
  if (!before || !after) return undefined;
  let total = 0;
  for (const [pid, seconds] of after) total += Math.max(0, seconds - (before.get(pid) ?? 0));
  return total;
}

export interface MemoryStats {
  /** Peak resident set size (VmHWM), MiB. */
  readonly peakRssMiB: number;
  /** Current resident set size (VmRSS), MiB. */
  readonly rssMiB: number;
}

/** VmHWM and VmRSS of a process from /proc/<pid>/status. */
export function memoryOf(pid: number): MemoryStats | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { peakRssMiB: kib('VmHWM') / 1024, rssMiB: kib('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU seconds spent by each party of the pipeline; differences of two snapshots give a phase's cost. */
export interface CpuSnapshot {
  readonly bench: number;
  readonly projector?: number;
  readonly postgres?: Map<number, number>;
  readonly nats?: Map<number, number>;
}

export type CpuParty = keyof CpuSnapshot;

export function cpuSnapshot(projectorPid: number | undefined): CpuSnapshot {
  const own = process.cpuUsage();
  return {
    bench: (own.user + own.system) / 1e6,
    projector: projectorPid === undefined ? undefined : processCpuSeconds(projectorPid),
    postgres: cpuSecondsByName('postgres'),
    nats: cpuSecondsByName('nats-server'),
  };
}

/** CPU µs per item between two snapshots, per party. */
export function cpuPerItem(before: CpuSnapshot, after: CpuSnapshot, items: number): Record<CpuParty, number | undefined> {
  const per = (seconds: number | undefined) => (seconds === undefined || items === 0 ? undefined : (seconds * 1e6) / items);
  const diff = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : b - a);
  return {
    bench: per(after.bench - before.bench),
    projector: per(diff(before.projector, after.projector)),
    postgres: per(cpuSecondsSince(before.postgres, after.postgres)),
    nats: per(cpuSecondsSince(before.nats, after.nats)),
  };
}
