/**
 * Plot rows from a feed's categorised steps: diversity per 20-step window and category shares per
 * bin, both phases on one step axis. Used by the audit, study and series reports.
 */
import { DIVERSITY_WINDOW } from '../core/audit-progress';
import { categoryCounts, diversityWindows, type CategorizedStep } from '../core/metrics';
import { level1 } from '../core/taxonomy';
import type { CategoryShareRow, DiversityRow } from './plots';

/** Steps per bin of the category-share plot. */
export const SHARE_BIN = 20;

export interface FeedRows {
  diversity: DiversityRow[];
  shares: CategoryShareRow[];
  /** The first counterfactual step on the shared axis. */
  reversalAt: number;
}

/** English names only: plots are SVG text, and a reader's machine may lack CJK fonts. */
export const categoryName = (slug: string): string => level1(slug)?.en ?? slug;

/** Diversity of the window ending at each step, per phase (windows never straddle the reversal). */
export function diversityRows(cultivation: readonly CategorizedStep[], counterfactual: readonly CategorizedStep[], series?: string): DiversityRow[] {
  const rows: DiversityRow[] = [];
  const add = (phase: string, steps: readonly CategorizedStep[], offset: number) => {
    const width = Math.min(DIVERSITY_WINDOW, steps.length);
    diversityWindows(steps).forEach((diversity, i) => rows.push({ step: offset + i + width, phase, diversity, ...(series === undefined ? {} : { series }) }));
  };
  add('cultivation', cultivation, 0);
  add('counterfactual', counterfactual, cultivation.length);
  return rows;
}

/** Each bin's share of every level-1 category (readable labels), both phases binned separately. */
export function categoryShareRows(cultivation: readonly CategorizedStep[], counterfactual: readonly CategorizedStep[], bin = SHARE_BIN): CategoryShareRow[] {
  const rows: CategoryShareRow[] = [];
  const add = (steps: readonly CategorizedStep[], offset: number) => {
    for (let from = 0; from < steps.length; from += bin) {
      const inBin = steps.slice(from, from + bin);
      for (const [slug, count] of Object.entries(categoryCounts(inBin))) {
        rows.push({ step: offset + from, category: categoryName(slug), share: count / inBin.length });
      }
    }
  };
  add(cultivation, 0);
  add(counterfactual, cultivation.length);
  return rows;
}

export function feedRows(cultivation: readonly CategorizedStep[], counterfactual: readonly CategorizedStep[]): FeedRows {
  return {
    diversity: diversityRows(cultivation, counterfactual),
    shares: categoryShareRows(cultivation, counterfactual),
    reversalAt: cultivation.length,
  };
}
