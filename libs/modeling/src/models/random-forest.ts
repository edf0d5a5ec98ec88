import { VistaError } from '@vista/contracts';
import { RandomForestRegression } from 'ml-random-forest';
import { fmtCount } from '../checks.js';
import { createRandom } from '../random.js';
import { type Hyperparameters, MAX_ROWS_PER_TREE } from './hyperparameters.js';

/** ml-random-forest's own `toJSON()` shape, which `RandomForestRegression.load` reads back. */
export type RandomForestState = ReturnType<RandomForestRegression['toJSON']>;

/** Rows each tree is grown on: a fraction (≤ 1) of the training rows or a count (> 1), at most the rows there are. */
export function rowsPerTree(maxSamples: number, rows: number): number {
  return Math.max(2, maxSamples <= 1 ? Math.floor(maxSamples * rows) : Math.min(maxSamples, rows));
}

/**
 * Grows the forest with ml-random-forest, one tree at a time: each tree gets its own seeded bootstrap
 * (with replacement) of `maxSamples` rows drawn from all training rows, and the one-tree forests are
 * joined into one model in ml-random-forest's JSON format. (The library's own `maxSamples` takes the
 * first rows of the table for every tree.) Tree nodes are stored without the per-node copies of the tree
 * options, which `load` does not read: a third of the size.
 */
export function fitRandomForest(X: number[][], y: number[], hp: Hyperparameters, seed: number): RandomForestState {
  const n = X.length;
  const k = (X[0] as number[]).length;
  const m = rowsPerTree(hp.maxSamples as number, n);
  if (m > MAX_ROWS_PER_TREE) {
    const fraction = Math.floor((MAX_ROWS_PER_TREE / n) * 1000) / 1000;
    throw new VistaError(
      'invalid',
      `maxSamples ${hp.maxSamples} means ${fmtCount(m)} of ${fmtCount(n)} rows per tree; at most ${fmtCount(MAX_ROWS_PER_TREE)} are allowed ` +
        `(maxSamples ≤ ${fraction} here) because ml-random-forest's split search grows with the square of a node's rows`,
    );
  }
  const maxFeatures = hp.maxFeatures as number;
  if ((maxFeatures > 1 && maxFeatures > k) || Math.floor(maxFeatures <= 1 ? maxFeatures * k : maxFeatures) < 1) {
    throw new VistaError('invalid', `maxFeatures ${maxFeatures} does not fit ${k} factors: use a fraction in (0, 1] or a count from 1 to ${k}`);
  }
  const random = createRandom(seed);
  const trees: RandomForestState[] = [];
  for (let t = 0; t < (hp.nEstimators as number); t++) {
    const Xs: number[][] = new Array(m);
    const ys: number[] = new Array(m);
    for (let i = 0; i < m; i++) {
      const r = random.integer(n);
      Xs[i] = X[r] as number[];
      ys[i] = y[r] as number;
    }
    const forest = new RandomForestRegression({
      nEstimators: 1,
      // The library reads a value in (0, 1] as a fraction and a larger whole number as a count, as we do.
      maxFeatures,
      replacement: false,
      useSampleBagging: false,
      noOOB: true,
      seed: random.nextSeed(),
      selectionMethod: 'mean',
      treeOptions: { maxDepth: hp.maxDepth, minNumSamples: hp.minNodeSize },
    });
    forest.train(Xs, ys);
    trees.push(forest.toJSON());
  }
  const first = trees[0] as RandomForestState;
  return {
    ...first,
    baseModel: {
      ...first.baseModel,
      seed,
      nEstimators: trees.length,
      indexes: trees.map((f) => f.baseModel.indexes[0] as number[]),
      estimators: trees.map((f) => compactTree(f.baseModel.estimators[0])) as RandomForestState['baseModel']['estimators'],
    },
  };
}

/** Loads a stored forest. */
export function loadRandomForest(state: RandomForestState): RandomForestRegression {
  if (typeof state !== 'object' || state === null || (state as { name?: unknown }).name !== 'RFRegression') {
    throw new VistaError('invalid', 'the random-forest model is corrupt: not an ml-random-forest regression model');
  }
  return RandomForestRegression.load(state);
}

interface TreeNodeJson {
  distribution?: number;
  splitValue?: number;
  splitColumn?: number;
  left?: TreeNodeJson;
  right?: TreeNodeJson;
}

// What ml-cart's TreeNode.setNodeParameters reads back: a leaf's value, or a split and its children.
function compactNode(node: TreeNodeJson): TreeNodeJson {
  if (node.distribution !== undefined) return { distribution: node.distribution };
  return { splitValue: node.splitValue, splitColumn: node.splitColumn, left: compactNode(node.left ?? {}), right: compactNode(node.right ?? {}) };
}

function compactTree(tree: unknown): unknown {
  const json = JSON.parse(JSON.stringify(tree)) as { root: TreeNodeJson };
  return { ...json, root: compactNode(json.root) };
}
