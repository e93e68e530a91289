/**
 * A finished record as a document, independent of how it is shown: the one model that the screen
 * (components/RecordDocument), the print view and the PDF for the child's file all render (issue 18).
 * Pure data: plain strings already worded for a person, so every renderer shows the same words.
 */

/** A field under its label. `value` is the person's words as written ('' when not recorded). */
export interface DocField {
  label: string;
  value: string;
  /** Long narrative text: shown as paragraphs with its line breaks kept. */
  long?: boolean;
}

export type DocBlock =
  | { kind: 'fields'; fields: DocField[] }
  /** A table whose first column heads each row (the domains and their grades; actions). */
  | { kind: 'table'; name: string; caption: string; columns: string[]; rows: string[][] }
  /** A paragraph of text; `muted` for what says something is absent ("No actions were raised."). */
  | { kind: 'paragraph'; text: string; muted?: boolean }
  /** Someone's own words, with who said them and when. */
  | { kind: 'quote'; text: string; attribution: string }
  /** A heading within a section (one of the seven domains). */
  | { kind: 'subheading'; text: string };

export interface DocSection {
  /** Stable, for headings' ids on screen. */
  id: string;
  heading: string;
  blocks: DocBlock[];
}

import { defaultOrganisationSettings, type OrganisationSettings } from '../../../domain/organisationSettings';

/** Set by the organisation (domain/organisationSettings.ts), known to the device with the directory. */
export type { OrganisationSettings };
export const defaultOrganisation = defaultOrganisationSettings;

export interface DocumentModel {
  organisation: OrganisationSettings;
  /** What kind of record it is: "Collaborative case review". */
  title: string;
  /** Final (complete, or a closed review) or a draft: a draft is watermarked. */
  final: boolean;
  /** Where the record is in its life, worded: "Closed", "Submitted for moderation". */
  statusLabel: string;
  /** When this copy was made (ISO time). */
  madeAt: string;
  /** The rows at the top: child ID (and name), who it is about, who wrote it and when. */
  summary: DocField[];
  /** Something the reader must know about this copy (family feedback without consent). */
  notice?: string;
  sections: DocSection[];
  /** For the downloaded file: child ID, kind and date. */
  fileName: string;
  /** The words at the top of every page after the organisation; by default the title and the child (summary[0]). */
  runningTitle?: string;
}

export const NOT_RECORDED = 'Not recorded';

/**
 * A person's words split as they wrote them: paragraphs at blank lines, lines within a paragraph kept.
 * Shared by every renderer so that line breaks mean the same everywhere.
 */
export function paragraphsOf(text: string): string[][] {
  const trimmed = text.replace(/\r\n?/g, '\n').replace(/^\n+|\n+$/g, '');
  if (!trimmed.trim()) return [];
  return trimmed.split(/\n[ \t]*\n/).map((paragraph) => paragraph.split('\n'));
}

/** Every word the document holds, in reading order: what a test (or a search) checks against the renderings. */
export function documentText(model: DocumentModel): string[] {
  const out: string[] = [model.organisation.name, model.organisation.marking, model.title, model.statusLabel];
  for (const f of model.summary) out.push(f.label, f.value);
  if (model.notice) out.push(model.notice);
  for (const section of model.sections) {
    out.push(section.heading);
    for (const block of section.blocks) {
      if (block.kind === 'fields') for (const f of block.fields) out.push(f.label, f.value);
      else if (block.kind === 'table') out.push(...block.columns, ...block.rows.flat());
      else if (block.kind === 'quote') out.push(block.text, block.attribution);
      else out.push(block.text);
    }
  }
  return out.filter((s) => s.trim() !== '');
}
