import PDFDocument from 'pdfkit';
import type { AccessEvent } from '../access-events/access-event.js';

export interface AccessLogPdfInput {
  disputeId: string;
  merchant: string;
  customer: string;
  purchasedAt: string | null;
  events: AccessEvent[];
  generatedAt: Date;
}

/** Rows per page are bounded by the page, not by us: a long log becomes more pages, never a cut. */
const COLUMNS = [
  { title: 'Time (UTC)', width: 118 },
  { title: 'Action', width: 92 },
  { title: 'IP address', width: 92 },
  { title: 'Device / session', width: 110 },
  { title: 'User agent', width: 100 },
] as const;

/**
 * The customer's full access log for the dispute, as a PDF an issuer can read: who, which purchase, and
 * every recorded event in time order. Built with pdfkit's standard fonts (no font files to ship).
 *
 * Only for a log that shows use after the purchase (`EvidenceDraft.attachAccessLog`): the PDF goes to
 * Whop, and a log with no events argues for the cardholder. Rejects with a RangeError when `events` is
 * empty, so such a PDF can never be made by mistake.
 */
export function renderAccessLogPdf(input: AccessLogPdfInput): Promise<Buffer> {
  if (input.events.length === 0) {
    return Promise.reject(new RangeError('an access log without events is never sent as evidence'));
  }
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 40,
      info: {
        Title: `Access log for dispute ${input.disputeId}`,
        Author: input.merchant,
        Subject: 'Customer access activity',
        CreationDate: input.generatedAt,
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.font('Helvetica-Bold').fontSize(15).text('Customer access log');
    doc.moveDown(0.3).font('Helvetica').fontSize(9.5);
    doc.text(`Merchant: ${input.merchant}`);
    doc.text(`Customer: ${input.customer}`);
    doc.text(`Dispute: ${input.disputeId}`);
    if (input.purchasedAt) doc.text(`Purchase: ${input.purchasedAt}`);
    doc.text(`Events recorded: ${input.events.length}`);
    doc.text(`Generated: ${input.generatedAt.toISOString()}`);
    doc.moveDown(0.8);

    const left = doc.page.margins.left;
    const header = () => {
      doc.font('Helvetica-Bold').fontSize(8);
      let x = left;
      const y = doc.y;
      for (const c of COLUMNS) {
        doc.text(c.title, x, y, { width: c.width - 4, lineBreak: false });
        x += c.width;
      }
      doc.moveDown(0.4).font('Helvetica').fontSize(7.5);
    };
    header();
    for (const e of input.events) {
      if (doc.y > doc.page.height - doc.page.margins.bottom - 20) {
        doc.addPage();
        header();
      }
      const cells = [
        e.occurredAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''),
        e.action,
        e.ip ?? '',
        [e.deviceId, e.sessionId].filter(Boolean).join(' / '),
        e.userAgent ?? '',
      ];
      let x = left;
      const y = doc.y;
      cells.forEach((text, i) => {
        const width = COLUMNS[i]!.width - 4;
        doc.text(fitToWidth(doc, text, width), x, y, { width, lineBreak: false });
        x += COLUMNS[i]!.width;
      });
      doc.moveDown(0.35);
      doc.x = left;
    }
    doc.end();
  });
}

/** Shortens a cell to its column, with an ellipsis, so rows stay one line. */
function fitToWidth(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let s = text;
  while (s.length > 1 && doc.widthOfString(`${s}…`) > width) s = s.slice(0, -1);
  return `${s}…`;
}
