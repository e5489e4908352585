import { extractTextItems, getDocumentProxy, type StructuredTextItem } from 'unpdf';

/**
 * The text of a PDF as a reader sees it: one line per visual line (items sharing a baseline, left to
 * right), lines top to bottom, pages in order, all joined with `\n`. Cells of one table row come out on
 * one line separated by a single space, so a row reads like `pdftotext -layout` prints it (minus the
 * column padding). Assumes horizontal left-to-right text, which is all our PDFs hold.
 *
 * Reads with unpdf (PDF.js, no browser, no canvas, no system binary), so `npm test` needs nothing
 * beyond `npm ci`. Rejects when the bytes are not a readable PDF (PDF.js's `InvalidPDFException`).
 */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  // PDF.js may take over (detach) the buffer it is given; the caller's bytes stay readable.
  // verbosity 0: errors only, so a test's output is not filled with PDF.js's recovery warnings.
  const pdf = await getDocumentProxy(bytes.slice(), { verbosity: 0 });
  try {
    const { items } = await extractTextItems(pdf);
    return items.map(pageText).join('\n');
  } finally {
    await pdf.destroy();
  }
}

function pageText(items: StructuredTextItem[]): string {
  // Whitespace-only items are PDF.js's guesses at gaps; the gaps are measured below instead.
  const visible = items.filter((it) => it.str.trim() !== '');
  // PDF space: y grows upwards, so the top line has the largest y.
  visible.sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: StructuredTextItem[][] = [];
  for (const item of visible) {
    const line = lines.at(-1);
    // Same line when the baselines are closer than half a glyph (sub-point rounding, mixed font sizes).
    if (line && Math.abs(line[0]!.y - item.y) < Math.min(line[0]!.fontSize, item.fontSize) / 2) {
      line.push(item);
    } else {
      lines.push([item]);
    }
  }
  return lines.map(lineText).join('\n');
}

function lineText(items: StructuredTextItem[]): string {
  items.sort((a, b) => a.x - b.x);
  let text = '';
  let end = Number.NEGATIVE_INFINITY;
  for (const item of items) {
    // A visible gap (more than ~a fifth of the font size; a Helvetica space is 0.28 em) is a word or
    // column break; PDF.js also splits one word into several items at kerning, with no gap between.
    const gap = item.x - end;
    if (text !== '' && gap > item.fontSize * 0.2 && !/\s$/.test(text) && !/^\s/.test(item.str)) text += ' ';
    text += item.str;
    end = item.x + item.width;
  }
  return text;
}
