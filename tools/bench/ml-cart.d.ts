// ml-cart ships no type declarations; the benchmark uses its regression tree as a baseline.
declare module 'ml-cart' {
  export class DecisionTreeRegression {
    constructor(options?: { maxDepth?: number; minNumSamples?: number; gainFunction?: string; splitFunction?: string });
    train(trainingSet: number[][], trainingValues: number[]): void;
    predict(toPredict: number[][]): number[];
  }
}
