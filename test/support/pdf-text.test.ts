import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { pdfText } from './pdf-text.js';

/** A two-page PDF whose text positions we know: a heading, a table row drawn right to left, plain lines. */
function knownPdf(): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 40 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);

    doc.font('Helvetica-Bold').fontSize(15).text('Known heading');
    doc.moveDown(0.5).font('Helvetica').fontSize(8);
    // Cells written in reverse order: the reader must follow the page, not the content stream.
    const y = doc.y;
    doc.text('third cell', 300, y, { lineBreak: false });
    doc.text('second', 170, y, { lineBreak: false });
    doc.text('first', 40, y, { lineBreak: false });
    doc.moveDown(1);
    doc.x = 40;
    doc.fontSize(9.5).text('Events recorded: 49');
    // Kerned pairs (AV, WA, To) stay whole words, not letters split by kerning gaps.
    doc.text('AVATAR WAVE To');
    doc.addPage().text('Page two text');
    doc.end();
  });
}

describe('pdfText', () => {
  it('reads a PDF line by line, top to bottom and left to right, page after page', async () => {
    const bytes = await knownPdf();
    const text = await pdfText(bytes);
    expect(text).toBe(
      [
        'Known heading',
        'first second third cell',
        'Events recorded: 49',
        'AVATAR WAVE To',
        'Page two text',
      ].join('\n'),
    );
    // The caller's bytes are left intact: reading them again gives the same text.
    expect(await pdfText(bytes)).toBe(text);
  });

  it('rejects bytes that are not a PDF', async () => {
    await expect(pdfText(new TextEncoder().encode('not a pdf'))).rejects.toThrow(/PDF/i);
  });
});
