/** One problem found in a deck. `row` is the 1-based data row (the header is not counted). */
export interface DeckIssue {
  /** 1-based data row: the first row after the header is 1. */
  row?: number;
  /** 1-based line of the file (CSV only), empty lines included. */
  line?: number;
  column?: string;
  /** A complete sentence that already names the row, line and column where they apply. */
  message: string;
}

const SHOWN_IN_MESSAGE = 5;

/** A deck was refused; `issues` lists what is wrong (at most `DECK_LIMITS.maxIssues`). */
export class DeckValidationError extends Error {
  override readonly name = 'DeckValidationError';
  readonly code = 'invalid' as const;
  readonly issues: readonly DeckIssue[];
  /** True when reading stopped early, so more problems may exist than `issues` lists. */
  readonly truncated: boolean;

  constructor(issues: readonly DeckIssue[], options: { truncated?: boolean; cause?: unknown } = {}) {
    super(summarize(issues, options.truncated ?? false), options.cause === undefined ? undefined : { cause: options.cause });
    this.issues = issues;
    this.truncated = options.truncated ?? false;
  }
}

const summarize = (issues: readonly DeckIssue[], truncated: boolean): string => {
  const [first] = issues;
  if (!first) return 'The deck is invalid.';
  if (issues.length === 1 && !truncated) return `The deck is invalid: ${first.message}`;
  const count = truncated ? `${issues.length} or more problems` : `${issues.length} problems`;
  const shown = issues.slice(0, SHOWN_IN_MESSAGE).map((issue) => issue.message);
  const rest = issues.length > SHOWN_IN_MESSAGE ? ` (and ${issues.length - SHOWN_IN_MESSAGE} more listed in issues)` : '';
  return `The deck is invalid, ${count}: ${shown.join('; ')}${rest}`;
};
