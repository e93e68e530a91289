/**
 * Copies of a finished record for the child's file: **Download PDF** (made on this device, with no signal
 * too) and **Print**, and the print view itself — the same document model the screen shows, with the
 * organisation's name, the protective marking on every page and nothing of the app around it (the print
 * stylesheet in app/styles.css). Every copy is written to the audit log: a command queued on the device,
 * sent when there is a connection.
 */
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { enqueueCommand } from '../data/outbox';
import type { DocumentModel } from '../lib/document/model';
import { formatDateAndTime } from '../lib/format';
import { DocumentFields, DocumentSections } from './RecordDocument';
import { offerDownload } from '../lib/download';

interface Props {
  userId: string;
  record: string;
  model: DocumentModel;
  /** Where the copy goes, in the hint: the child's file, unless said (a quarterly summary goes to the leadership team). */
  copyFor?: string;
}

/** A CSS string: the marking is the organisation's text, so nothing in it may end the string or the rule. */
const cssString = (text: string) => `"${[...text].map((ch) => (/[A-Za-z0-9 ._,:;()/-]/.test(ch) ? ch : `\\${ch.codePointAt(0)!.toString(16)} `)).join('')}"`;

export function DocumentCopies({ userId, record, model, copyFor = 'the child’s file' }: Props) {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'making' } | { kind: 'done'; fileName: string } | { kind: 'failed'; message: string }>({ kind: 'idle' });

  async function downloadPdf() {
    setState({ kind: 'making' });
    try {
      const made = { ...model, madeAt: new Date().toISOString() };
      // Loaded only now: pdf-lib and the fonts are a chunk of their own (precached, so offline too).
      const { makePdf } = await import('../lib/pdf/makePdf');
      const bytes = await makePdf(made);
      await enqueueCommand(userId, { type: 'record-copy', record, format: 'pdf', fileName: model.fileName, madeAt: made.madeAt });
      offerDownload(model.fileName, bytes as BlobPart, 'application/pdf');
      setState({ kind: 'done', fileName: model.fileName });
    } catch (error) {
      setState({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
  }

  // The print view exists only while printing — by this button, the browser's menu or Ctrl+P alike — so
  // the screen (and a screen reader) never has the document twice. Every print is written to the audit log.
  const [printing, setPrinting] = useState(false);
  const { fileName } = model;
  useEffect(() => {
    const before = () => {
      flushSync(() => setPrinting(true));
      void enqueueCommand(userId, { type: 'record-copy', record, format: 'print', fileName, madeAt: new Date().toISOString() });
    };
    const after = () => setPrinting(false);
    // Print media without a print dialog (a browser's print preview, or a PDF printed headless).
    const media = typeof window.matchMedia === 'function' ? window.matchMedia('print') : null;
    const change = (event: MediaQueryListEvent) => flushSync(() => setPrinting(event.matches));
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    media?.addEventListener('change', change);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
      media?.removeEventListener('change', change);
    };
  }, [userId, record, fileName]);

  return (
    <>
      <section className="document-copies" aria-label={`Copies for ${copyFor}`}>
        <button type="button" className="button button--primary" onClick={() => void downloadPdf()} disabled={state.kind === 'making'}>
          Download PDF
        </button>
        <button type="button" className="button" onClick={() => window.print()}>
          Print
        </button>
        <p className="hint">
          A copy for {copyFor}, marked {model.organisation.marking}
          {model.final ? '' : ', and watermarked as a draft until the record is final'}. Taking a copy is recorded in the audit log.
        </p>
        <p role="status" className={state.kind === 'failed' ? 'alert alert--error' : undefined}>
          {state.kind === 'making' && 'Making the PDF…'}
          {state.kind === 'done' && `PDF made: ${state.fileName}`}
          {state.kind === 'failed' && `The PDF could not be made: ${state.message}`}
        </p>
      </section>
      {printing && <PrintDocument model={model} />}
    </>
  );
}

/** Shown only when printing (app/styles.css): the record as its copy for the child's file. */
export function PrintDocument({ model }: { model: DocumentModel }) {
  const marking = model.organisation.marking;
  return (
    <div className={`print-document${model.final ? '' : ' print-document--draft'}`}>
      {/* The marking at the top and bottom of every printed page, and the page number: CSS page margin boxes. */}
      <style>{`@page {
  margin: 20mm 16mm 22mm;
  @top-center { content: ${cssString(marking)}; font: 700 10pt system-ui, sans-serif; }
  @bottom-center { content: ${cssString(marking)}; font: 700 10pt system-ui, sans-serif; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif; }
  @bottom-left { content: ${cssString(`Printed ${formatDateAndTime(new Date().toISOString())}. ${model.final ? 'Final' : 'DRAFT: not final'}.`)}; font: 8pt system-ui, sans-serif; }
}`}</style>
      {model.organisation.name && <p className="print-organisation">{model.organisation.name}</p>}
      <h1>{model.title}</h1>
      <p className="print-status">{model.final ? `${model.statusLabel}: final copy` : `${model.statusLabel}: DRAFT, not final`}</p>
      <DocumentFields fields={model.summary} />
      {model.notice && <p className="print-notice">{model.notice}</p>}
      <DocumentSections model={model} label={`${model.title}, for printing`} idPrefix="print-" />
    </div>
  );
}
