import type { TableArtifact } from '@vista/contracts';
import { workerTask } from '@vista/jobs/worker';
import { type DesignPlan, type ResolvedDoeParams, labelFromDeck, planDesign } from '../domain/design-plan.js';

export interface DesignTaskInput {
  /** The deck as `TableArtifact` JSON (parsed here, off the service's event loop). */
  readonly deckJson: string;
  readonly params: ResolvedDoeParams;
}

export interface DesignTaskResult extends DesignPlan {
  /** One array per point, in `responses` order; absent when an external evaluator labels the points. */
  readonly labels?: number[][];
  readonly labelling?: Record<string, unknown>;
}

/** Runs on the service's warm worker pool. */
export default workerTask<DesignTaskInput, string, DesignTaskResult>((input, progress) => {
  const deck = JSON.parse(input.deckJson) as TableArtifact;
  const plan = planDesign(deck, input.params);
  progress(`generated a ${input.params.design} design of ${plan.points.length} points over ${plan.factors.length} factors`);
  if (input.params.labelling !== 'interpolator') return plan;
  const { labels, info } = labelFromDeck(deck, plan.points);
  progress(`labelled ${labels.length} points by interpolating the deck's ${deck.rows.length} rows`);
  return { ...plan, labels, labelling: info };
});
