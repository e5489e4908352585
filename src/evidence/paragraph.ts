/**
 * Evidence text as paragraphs that carry the claims they make, so a paragraph dropped to fit Whop's
 * field limit takes its claims with it and `statements` never outlive their text.
 */
import { fitText } from './format.js';

/** Whop accepts long text, but issuers read short evidence; every field stays under this. */
export const FIELD_LIMIT = 4000;
/** Lists of payments in the notes stop here, so a long history cannot crowd out the argument. */
export const MAX_LISTED = 12;

/** One field's text and the factual claims it makes, one per line, for tests and the audit trail. */
export interface FieldText {
  text: string;
  claims: string[];
}

/** A piece of text and the claims it makes: dropped together, so statements never outlive their text. */
export interface Para {
  text: string;
  claims: string[];
  /** Lower is more important; the least important paragraphs go first when a field is too long. */
  rank: number;
}

export const para = (text: string, claims: string[] = [], rank = 1): Para => ({ text, claims, rank });

/**
 * The paragraphs as one field's text (blank-line separated) with the claims of those kept: the least
 * important are dropped whole until the text fits `max` characters, and a lone one left too long is cut.
 */
export function fitParas(paras: Para[], max = FIELD_LIMIT): FieldText {
  let kept = paras.filter((p) => p.text.trim() !== '');
  const render = (ps: Para[]) => ps.map((p) => p.text.trim()).join('\n\n');
  // Drop the least important paragraphs (latest first among equals) until the field fits.
  while (kept.length > 1 && render(kept).length > max) {
    const worst = kept.reduce((w, p, i) => (p.rank >= kept[w]!.rank ? i : w), 0);
    kept = kept.filter((_, i) => i !== worst);
  }
  return { text: fitText(render(kept), max), claims: kept.flatMap((p) => p.claims) };
}
