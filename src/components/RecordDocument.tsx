/**
 * A finished record read as a document: the screen's rendering of the one document model
 * (src/lib/document) that the print view and the PDF for the child's file render too. Each field under
 * its label with the person's words as they wrote them (line breaks kept), "Not recorded" where a field
 * was left empty, a review's grades in a table beside the grades moderation agreed, and who did what,
 * when. Not a disabled form: nothing here looks as if it could be typed into, and a screen reader hears
 * headings, a description list and a table.
 */
import { Fragment } from 'react';
import { NOT_RECORDED, paragraphsOf, type DocBlock, type DocField, type DocSection, type DocumentModel } from '../lib/document/model';
import {
  feedbackDocument,
  observationDocument,
  reviewDocument,
  type FeedbackDocumentInput,
  type ObservationDocumentInput,
  type ReviewDocumentInput,
} from '../lib/document/records';

export type { DocumentReflection, RecordedModeration, LegacyAction as ReviewAction } from '../lib/document/records';

/**
 * A person's words as written: a blank line starts a new paragraph, a single line break stays a line
 * break. Said plainly when there is nothing.
 */
export function DocumentText({ text, empty = NOT_RECORDED }: { text: string | undefined; empty?: string }) {
  const paragraphs = paragraphsOf(text ?? '');
  if (paragraphs.length === 0) return <p className="document-empty">{empty}</p>;
  return (
    <>
      {paragraphs.map((lines, p) => (
        <p key={p} className="document-text">
          {lines.map((line, l) => (
            <Fragment key={l}>
              {l > 0 && <br />}
              {line}
            </Fragment>
          ))}
        </p>
      ))}
    </>
  );
}

/** Fields under their labels, as a description list. */
export function DocumentFields({ fields }: { fields: DocField[] }) {
  return (
    <dl className="document-fields">
      {fields.map((field) => (
        <div key={field.label} className="document-field">
          <dt>{field.label}</dt>
          <dd>{field.long ? <DocumentText text={field.value} /> : field.value.trim() ? field.value : <span className="document-empty">{NOT_RECORDED}</span>}</dd>
        </div>
      ))}
    </dl>
  );
}

function Block({ block, sectionId, index }: { block: DocBlock; sectionId: string; index: number }) {
  switch (block.kind) {
    case 'fields':
      return <DocumentFields fields={block.fields} />;
    case 'subheading':
      return <h3 id={`${sectionId}-${index}`}>{block.text}</h3>;
    case 'paragraph':
      return block.muted ? <p className="document-empty">{block.text}</p> : <DocumentText text={block.text} />;
    case 'quote':
      return (
        <blockquote className="reflection-text">
          <DocumentText text={block.text} />
          <footer>{block.attribution}</footer>
        </blockquote>
      );
    case 'table':
      // Scrolls sideways on its own if a narrow screen cannot fit it: reachable by keyboard to scroll.
      return (
        <div className="table-scroll" role="region" aria-label={`${block.name} table`} tabIndex={0}>
          <table className={block.name === 'Grades' ? 'document-table grades-table' : 'document-table'}>
            <caption className="visually-hidden">{block.caption}</caption>
            <thead>
              <tr>
                {block.columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) =>
                    c === 0 ? (
                      <th key={c} scope="row">
                        {cell || <span className="document-empty">{NOT_RECORDED}</span>}
                      </th>
                    ) : (
                      <td key={c}>{cell || <span className="document-empty">{NOT_RECORDED}</span>}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

/** A section: its heading, then its blocks; a domain's subheading groups the blocks after it. */
function Section({ section }: { section: DocSection }) {
  const headingId = section.id;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{section.heading}</h2>
      {section.blocks.map((block, i) => (
        <Block key={i} block={block} sectionId={section.id} index={i} />
      ))}
    </section>
  );
}

/** The sections of a document model, as the screen shows them. */
export function DocumentSections({ model, label, idPrefix = '' }: { model: DocumentModel; label: string; idPrefix?: string }) {
  return (
    <article className="record-document" aria-label={label}>
      {model.sections.map((section) => (
        <Section key={section.id} section={idPrefix ? { ...section, id: `${idPrefix}${section.id}` } : section} />
      ))}
    </article>
  );
}

export function ReviewDocument(props: ReviewDocumentInput) {
  return <DocumentSections model={reviewDocument(props)} label="The review as written" />;
}

export function ObservationDocument(props: ObservationDocumentInput) {
  return <DocumentSections model={observationDocument(props)} label="The observation as written" />;
}

export function FeedbackDocument(props: FeedbackDocumentInput) {
  return <DocumentSections model={feedbackDocument(props)} label="The feedback as given" />;
}
