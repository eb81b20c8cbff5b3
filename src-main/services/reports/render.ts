import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import sharp from 'sharp';
import { IMAGE_FAIL_ON } from '../import/probe';
import { AtomicFileStream } from '../files/atomic-write';
import { composeReportSvg, PAGE } from './layout';
import type { ReportInput } from './report-input';

/** The B-scan as embedded in reports: 8-bit, no alpha, at most this wide (keeps PDFs small). */
const MAX_EMBED_WIDTH = 1600;

/**
 * Normalises any image sharp can read (PNG, JPEG, TIFF, BMP via sharp, 16-bit) into an 8-bit
 * greyscale-or-RGB PNG that both pdfkit and librsvg embed reliably.
 */
export async function prepareReportImage(bytes: Uint8Array): Promise<ReportInput['image']> {
  const img = sharp(Buffer.from(bytes), { failOn: IMAGE_FAIL_ON }).flatten({ background: '#000000' });
  const meta = await img.metadata();
  const resized = (meta.width ?? 0) > MAX_EMBED_WIDTH ? img.resize({ width: MAX_EMBED_WIDTH }) : img;
  const png = await resized.toColourspace('b-w').png({ compressionLevel: 6 }).toBuffer();
  return { bytes: new Uint8Array(png), mime: 'image/png' };
}

export interface PdfMeta {
  title: string;
  author?: string;
  /** Paper size; the A4 layout is scaled to fit (and centred on) US Letter. Default A4. */
  paper?: Paper;
}

export type Paper = 'a4' | 'letter';
const PAPER: Record<Paper, [number, number]> = { a4: [PAGE.width, PAGE.height], letter: [612, 792] };

/** Draws one A4-layout SVG page into the document, scaled to fit and centred on its paper size. */
function drawPage(doc: PDFKit.PDFDocument, svg: string, paper: Paper): void {
  const [w, h] = PAPER[paper];
  const k = Math.min(w / PAGE.width, h / PAGE.height);
  doc.addPage({ size: [w, h], margin: 0 });
  doc.save();
  doc.translate((w - PAGE.width * k) / 2, (h - PAGE.height * k) / 2);
  doc.scale(k);
  SVGtoPDF(doc, svg, 0, 0, { width: PAGE.width, height: PAGE.height, assumePt: true, warningCallback: () => {} });
  doc.restore();
}

/** Renders composed report pages (SVG) into one PDF: vector lines, real Helvetica text, image embedded. */
export function svgPagesToPdf(pages: string[], meta: PdfMeta): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margin: 0,
      autoFirstPage: false,
      info: { Title: meta.title, Author: meta.author ?? 'Stratum', Creator: 'Stratum', Producer: 'Stratum (pdfkit)' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      for (const svg of pages) {
        drawPage(doc, svg, meta.paper ?? 'a4');
      }
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/**
 * Streams pages into one PDF file as they are composed (a combined batch never holds every page in memory).
 * The pages go to a temp file beside `file`: `close()` resolves once the whole document is flushed and
 * renamed into place; `abort()` removes the temp file. A crash mid-batch never leaves a partial PDF at `file`.
 */
export class PdfFileWriter {
  private readonly doc: PDFKit.PDFDocument;
  private readonly out: AtomicFileStream;
  private readonly paper: Paper;

  constructor(file: string, meta: PdfMeta) {
    this.paper = meta.paper ?? 'a4';
    this.doc = new PDFDocument({
      size: [PAGE.width, PAGE.height],
      margin: 0,
      autoFirstPage: false,
      info: { Title: meta.title, Author: meta.author ?? 'Stratum', Creator: 'Stratum', Producer: 'Stratum (pdfkit)' },
    });
    this.out = new AtomicFileStream(file);
    this.doc.on('error', (error) => this.out.stream.destroy(error));
    this.doc.pipe(this.out.stream);
  }

  addPage(svg: string): void {
    drawPage(this.doc, svg, this.paper);
  }

  close(): Promise<void> {
    this.doc.end();
    return this.out.commit();
  }

  abort(): Promise<void> {
    this.doc.unpipe(this.out.stream);
    return this.out.discard();
  }
}

/** Renders one composed page to PNG with sharp (librsvg) at `widthPx` (default 1654 px: A4 at 200 dpi). */
export async function svgToPng(svg: string, widthPx = 1654): Promise<Buffer> {
  const density = (72 * widthPx) / PAGE.width;
  return sharp(Buffer.from(svg), { density }).flatten({ background: '#ffffff' }).png().toBuffer();
}

export async function renderReportPdf(input: ReportInput, paper: Paper = 'a4'): Promise<Buffer> {
  return svgPagesToPdf([composeReportSvg(input)], { title: `Stratum report: ${input.scan.name}`, paper });
}

export async function renderReportPng(input: ReportInput, widthPx?: number): Promise<Buffer> {
  return svgToPng(composeReportSvg(input), widthPx);
}
