import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';

const LABEL_WIDTH = 10;
const COLOURS = [36, 33, 35, 32, 34, 31]; // cyan, yellow, magenta, green, blue, red

export interface Output {
  /** A line of the runner's own, labelled `start`. */
  info(message: string): void;
  error(message: string): void;
  /** Writes one line under another label (a service, nats, postgres), unchanged after the label. */
  line(label: string, text: string, stream?: 'stdout' | 'stderr'): void;
}

/** Prefixes lines with a padded label, coloured when writing to a terminal that allows it. */
export function createOutput(colour: boolean): Output {
  const colourOf = new Map<string, number>();
  const label = (name: string): string => {
    const padded = `${name.padEnd(LABEL_WIDTH)}|`;
    if (!colour) return padded;
    if (!colourOf.has(name)) colourOf.set(name, COLOURS[colourOf.size % COLOURS.length]!);
    return `\u001b[${colourOf.get(name)}m${padded}\u001b[0m`;
  };
  const write = (name: string, text: string, stream: 'stdout' | 'stderr') => process[stream].write(`${label(name)} ${text}\n`);
  return {
    info: (message) => write('start', message, 'stdout'),
    error: (message) => {
      for (const text of message.split('\n')) write('start', text, 'stderr');
    },
    line: (name, text, stream = 'stdout') => write(name, text, stream),
  };
}

/**
 * Splits a byte stream into whole lines: chunks may end mid-line, so the remainder waits for
 * the next chunk, and is flushed when the stream ends.
 */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string): void {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
  }

  end(): void {
    if (this.rest.length > 0) this.onLine(this.rest);
    this.rest = '';
  }
}

/** Remembers the last `size` lines, to show why a process stopped. */
export class RecentLines {
  private readonly lines: string[] = [];

  constructor(private readonly size: number) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  all(): readonly string[] {
    return this.lines;
  }
}

/** Feeds every line of a readable stream to `onLine`. */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  const splitter = new LineSplitter(onLine);
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => splitter.push(chunk));
  stream.on('end', () => splitter.end());
}

/** The last `count` lines of a text file, or none when it cannot be read. */
export function tailFile(path: string, count: number): string[] {
  try {
    const lines = readFileSync(path, 'utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    return lines.slice(-count);
  } catch {
    return [];
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
