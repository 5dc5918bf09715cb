/**
 * Editing the scoring model's weights: the weight of each factor for each strategy and the hybrid
 * margin typed as text, checked, and put back into the weights (the rest, transforms and effects,
 * unchanged); or the whole weights as JSON. The API checks everything again (400 with the paths).
 */
import type { Strategy, Weights } from './data.ts';

export const STRATEGY_KEYS: readonly Strategy[] = ['omnichannel', 'multichannel', 'hybrid'];

/** A cell of the table: `<factor index>.<strategy>`, or `hybrid_margin`. */
export type Cells = Record<string, string>;

export const cellsOf = (w: Weights): Cells => {
  const cells: Cells = { hybrid_margin: String(w.hybrid_margin) };
  w.factors.forEach((f, i) => {
    for (const s of STRATEGY_KEYS) cells[`${i}.${s}`] = String(f.weights[s]);
  });
  return cells;
};

const NUMBER = /^-?\d+([.,]\d+)?$/;
const num = (v: string | undefined): number | null =>
  v !== undefined && NUMBER.test(v.trim()) ? Number(v.trim().replace(',', '.')) : null;

/** The weights with the table's numbers, or the cells that are not numbers (a negative margin too). */
export const applyCells = (w: Weights, cells: Cells): { weights: Weights } | { invalid: string[] } => {
  const invalid: string[] = [];
  const margin = num(cells.hybrid_margin);
  if (margin === null || margin < 0) invalid.push('hybrid_margin');
  const factors = w.factors.map((f, i) => {
    const weights = { ...f.weights };
    for (const s of STRATEGY_KEYS) {
      const v = num(cells[`${i}.${s}`]);
      if (v === null) invalid.push(`${i}.${s}`);
      else weights[s] = v;
    }
    return { ...f, weights };
  });
  if (invalid.length > 0) return { invalid };
  return { weights: { ...w, hybrid_margin: margin ?? w.hybrid_margin, factors } };
};

/** The weights typed as JSON, or why they cannot be read (the API checks their shape). */
export const parseWeights = (text: string): { weights: Weights } | { error: string } => {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'object' };
    return { weights: v as Weights };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
};

/** The factor a problem's path points at (`body.weights.factors.3.weights.hybrid` → 3). */
export const factorOfPath = (path: string): number | null => {
  const m = /(?:^|\.)factors\.(\d+)(?:\.|$)/.exec(path);
  return m ? Number(m[1]) : null;
};
