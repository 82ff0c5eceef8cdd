/**
 * The sweep comparison view's protocol (host <-> page), carried by src/protocol/endpoint.ts. The host localizes and
 * formats everything; the page only lays the table out, so the figures and words are those of the Markdown export.
 */
import { arrayOf, isEmpty, isString, object, oneOf, type Guard } from './guards';
import type { ComparisonStatus } from '../engine/sweep/comparison';

/** How a run of the sweep stands, as the table's rows are marked. */
export const COMPARISON_STATUSES = ['waiting', 'running', 'completed', 'cancelled', 'failed'] as const;

/** One row: the run's label (its row heading), then one cell per column after the first. */
export interface ComparisonRowView {
  status: ComparisonStatus;
  cells: string[];
}

/** Everything the page shows, in the page's language. */
export interface ComparisonPageState {
  /** The heading, e.g. "Comparison: Lab02 batch size". */
  title: string;
  /** The table's caption: what a row and the δ columns are. */
  caption: string;
  /** Column headings; the first is the row headings' ("run"). */
  headings: string[];
  rows: ComparisonRowView[];
  /** Said to a screen reader when it changes, e.g. "2 of 3 runs finished". */
  summary: string;
  /** The label of the button that saves the table as Markdown. */
  saveLabel: string;
}

/** What the page shows before any sweep ran: one sentence saying how to get a table. */
export interface ComparisonEmptyState {
  empty: string;
}

/** Messages the host sends to the page. */
export type ToComparisonPage = {
  /** Sent whenever the comparison changes (a run starts, an epoch ends, a run ends) and the page is ready. */
  'comparison/show': { payload: ComparisonPageState | ComparisonEmptyState };
};

/** Messages the page sends to the host. */
export type FromComparisonPage = {
  /** Sent once the page has loaded; the reply is what to show. */
  'comparison/ready': { payload: Record<string, never>; result: ComparisonPageState | ComparisonEmptyState };
  /** The student pressed "Save as Markdown…". */
  'comparison/save': { payload: Record<string, never> };
};

const isPageState = object({
  title: isString,
  caption: isString,
  headings: arrayOf(isString),
  rows: arrayOf(object({ status: oneOf(COMPARISON_STATUSES), cells: arrayOf(isString) })),
  summary: isString,
  saveLabel: isString,
}) satisfies Guard<ComparisonPageState>;

const isEmptyState = object({ empty: isString }) satisfies Guard<ComparisonEmptyState>;

/** Either state the host sends. */
export const isComparisonState: Guard<ComparisonPageState | ComparisonEmptyState> = (
  value,
): value is ComparisonPageState | ComparisonEmptyState => isPageState(value) || isEmptyState(value);

/** Whether a state is the empty one. */
export function isEmptyComparison(state: ComparisonPageState | ComparisonEmptyState): state is ComparisonEmptyState {
  return 'empty' in state;
}

/** Guards of the messages the host receives. */
export const fromPageGuards = {
  'comparison/ready': isEmpty,
  'comparison/save': isEmpty,
} satisfies { [K in keyof FromComparisonPage]: Guard<FromComparisonPage[K]['payload']> };

/** Guards of the messages the page receives. */
export const toPageGuards = {
  'comparison/show': isComparisonState,
} satisfies { [K in keyof ToComparisonPage]: Guard<ToComparisonPage[K]['payload']> };
