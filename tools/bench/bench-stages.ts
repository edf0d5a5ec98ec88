// The pipeline stages' numerics benchmark: `npm run bench:stages`. Times the DOE design, the three
// model types and the optimiser on synthetic data, each beside a naive baseline measured in the same
// run, and prints a table (progress on stderr); the figures are also written to dist/bench/stages.json.
// Pure CPU work, no services needed; about a minute on 2 cores.
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { designSection, measureDesign } from './design.phase.js';
import { measureOptimization, optimizationSection } from './optimization.phase.js';
import { type ReportSection, renderReport, writeJson } from './report.js';
import { heapPeak, progress, sampleHeap } from './stages-fixtures.js';
import { measureTraining, trainingSection } from './training.phase.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUTPUT = join(ROOT, 'dist', 'bench', 'stages.json');
const SEED = 20_240_601;
const MiB = 1024 * 1024;

async function main(): Promise<void> {
  const started = new Date();
  const t0 = performance.now();
  const header = [
    `Vista pipeline stages benchmark — ${started.toISOString()}`,
    `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}; single-threaded, as in a stage's worker`,
  ];
  const design = measureDesign(10_000, SEED);
  const training = measureTraining(100_000, SEED);
  const optimization = measureOptimization(training.polynomialModel, training.scaler, training.X, SEED);
  sampleHeap();
  const usage = process.resourceUsage();
  const memory = { maxRssMiB: usage.maxRSS / 1024, heapPeakMiB: heapPeak.bytes / MiB, heapNowMiB: process.memoryUsage().heapUsed / MiB };
  progress(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const sections: ReportSection[] = [
    designSection(design),
    trainingSection(training),
    optimizationSection(optimization),
    {
      title: '(4) memory of this process',
      rows: [
        { label: 'peak RSS (resourceUsage maxRSS)', figure: `${memory.maxRssMiB.toFixed(0)} MiB` },
        { label: 'peak V8 heap used (sampled per step)', figure: `${memory.heapPeakMiB.toFixed(0)} MiB` },
      ],
      notes: ['the 100,000-row table (X, scaled copy, polynomial baseline design) dominates; the heap is sampled after each step'],
    },
  ];
  console.log(renderReport(header, sections));
  const { polynomialModel: _model, scaler: _scaler, X: _X, ...trainingFigures } = training;
  await writeJson(OUTPUT, {
    startedAt: started.toISOString(),
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    seconds: (performance.now() - t0) / 1000,
    design,
    training: trainingFigures,
    optimization,
    memory,
  });
  console.log(`\nresults written to ${OUTPUT}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('the benchmark crashed:', error);
    process.exit(1);
  },
);
