import { checkMatrix, checkOneOf, invalid } from './checks.js';
import { column, mean, quantileOfSorted, sorted, std } from './statistics.js';

export type ScalingMethod = 'standard' | 'minmax' | 'robust' | 'none';

/** A fitted per-column affine map: scaled = (x − center) / scale. */
export interface ScalerState {
  method: ScalingMethod;
  center: number[];
  scale: number[];
}

export const SCALING_METHODS: readonly ScalingMethod[] = ['standard', 'minmax', 'robust', 'none'];

/**
 * Fits a scaler on the columns of X: standard = mean / population std, minmax = min / range (to [0, 1]),
 * robust = median / IQR, none = identity. A column without spread gets scale 1 (it is only shifted).
 */
export function fitScaler(X: number[][], method: ScalingMethod): ScalerState {
  checkOneOf(method, 'method', SCALING_METHODS);
  const { columns } = checkMatrix(X);
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < columns; j++) {
    const values = column(X, j);
    let c = 0;
    let s = 1;
    if (method === 'standard') {
      c = mean(values);
      s = std(values, c);
    } else if (method === 'minmax') {
      const ascending = sorted(values);
      c = ascending[0] as number;
      s = (ascending[ascending.length - 1] as number) - c;
    } else if (method === 'robust') {
      const ascending = sorted(values);
      c = quantileOfSorted(ascending, 0.5);
      s = quantileOfSorted(ascending, 0.75) - quantileOfSorted(ascending, 0.25);
    }
    center.push(c);
    scale.push(s > 0 && Number.isFinite(s) ? s : 1);
  }
  return { method, center, scale };
}

/** Applies a fitted scaler to rows with the same columns. */
export function applyScaler(state: ScalerState, X: number[][]): number[][] {
  checkScaler(state, X[0]?.length);
  const { center, scale } = state;
  return X.map((row) => row.map((v, j) => (v - (center[j] as number)) / (scale[j] as number)));
}

/** The inverse map: back from scaled to original units. */
export function invertScaler(state: ScalerState, Z: number[][]): number[][] {
  checkScaler(state, Z[0]?.length);
  const { center, scale } = state;
  return Z.map((row) => row.map((v, j) => v * (scale[j] as number) + (center[j] as number)));
}

/** Checks a (deserialised) scaler state, and its width against `columns` when given. */
export function checkScaler(state: ScalerState, columns?: number, path = 'scaler'): ScalerState {
  if (typeof state !== 'object' || state === null) invalid(path, 'expected a scaler state');
  checkOneOf(state.method, `${path}.method`, SCALING_METHODS);
  const ok = (a: unknown, positive: boolean) =>
    Array.isArray(a) && a.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0)) && a.length === (state.center?.length ?? -1);
  if (!ok(state.center, false) || !ok(state.scale, true)) invalid(path, 'center and scale must be equally long arrays of finite numbers, scale > 0');
  if (columns !== undefined && state.center.length !== columns) invalid(path, `fitted on ${state.center.length} columns, given ${columns}`);
  return state;
}
