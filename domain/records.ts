/**
 * What every record has in common, whatever its kind. A record is one Yjs document on the device and
 * on the server, named `<kind>/<uuid>` with an id made on the device.
 */
import { z } from 'zod';

export const recordKinds = ['observation', 'review', 'moderation', 'feedback', 'summary'] as const;
export type RecordKind = (typeof recordKinds)[number];

export const recordKindLabels: Record<RecordKind, string> = {
  observation: 'Observation of practice',
  review: 'Collaborative case review',
  moderation: 'Moderation',
  feedback: 'Family feedback',
  summary: 'Quarterly summary',
};

/**
 * Where a record is in its life. An observation is a draft until it is complete; a collaborative case
 * review is a draft until it is submitted for moderation, then moderated, then closed. Only a draft can be
 * edited; every later step is a command the server applies.
 */
export const recordStatuses = ['draft', 'complete', 'submitted', 'moderated', 'closed'] as const;
export type RecordStatus = (typeof recordStatuses)[number];

export const recordStatusLabels: Record<RecordStatus, string> = {
  draft: 'Draft',
  complete: 'Complete',
  submitted: 'Submitted for moderation',
  moderated: 'Moderated',
  closed: 'Closed',
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The document (and room) name of a record: `observation/3f2c…`. */
export function recordDocName(kind: RecordKind, id: string): string {
  return `${kind}/${id}`;
}

/** Splits a document name back into kind and id; `null` for anything that is not a record's name. */
export function parseRecordDocName(name: string): { kind: RecordKind; id: string } | null {
  const [kind, id, ...rest] = name.split('/');
  if (rest.length > 0 || !kind || !id) return null;
  if (!(recordKinds as readonly string[]).includes(kind) || !uuidPattern.test(id)) return null;
  return { kind: kind as RecordKind, id };
}

/** Facts about a record that are set when it is made and shown everywhere: who made it, when. */
export const recordMetaSchema = z.object({
  id: z.string().regex(uuidPattern),
  kind: z.enum(recordKinds),
  status: z.enum(recordStatuses),
  createdAt: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  /** Every record belongs to its author's team (access rules build on this). */
  authorTeamId: z.string(),
  completedAt: z.string().optional(),
  /**
   * Who moved a review on after its submission, and when: written by the server as it applies the
   * "moderate" and "close" commands (a device may not write them), so the review can say who moderated
   * and who closed it. Absent on records moved on before the server noted it.
   */
  moderatedAt: z.string().optional(),
  moderatedByName: z.string().optional(),
  closedAt: z.string().optional(),
  closedByName: z.string().optional(),
});
export type RecordMeta = z.infer<typeof recordMetaSchema>;

/**
 * One row of the device's searchable index of records: what lists and search need, derived from the
 * document so that a list never has to open every document.
 */
export interface RecordSummary {
  id: string;
  kind: RecordKind;
  status: RecordStatus;
  childId: string;
  /** The child's name where the record has one (a collaborative case review does), shown beside the ID. */
  childName?: string;
  practitionerId: string;
  practitionerName: string;
  teamId: string;
  /** The date the form is about (e.g. the date of observation), `YYYY-MM-DD`, or '' while a draft lacks it. */
  date: string;
  createdAt: string;
  /** The record this one was gathered for (family feedback: a review or observation's name), or ''. */
  linkedRecord?: string;
  /**
   * Family feedback only (absent for other kinds): how well they said things are going, '0'..'10' or ''
   * while not given, and who gave it (a `feedbackGivers` value, or ''). Kept in the index so that the
   * child's page can chart scores over time without opening every feedback document.
   */
  score?: string;
  givenBy?: string;
  /**
   * Family feedback only: 'yes' when they agreed to it being used, else ''. Feedback is counted, charted
   * or averaged only when it is finished (status 'complete') and has this agreement.
   */
  consent?: string;
  /** When this device last saw the record change (ISO time); the list sorts newest first on it. */
  updatedAt: string;
  authorId: string;
  /** 1 while the record has changes the server has not confirmed it stores; 0 once they are all sent. */
  unsynced: 0 | 1;
  /**
   * How the server lets this person use it (from its listing); 'none' once it refuses them the record;
   * absent for a record the server has not seen yet.
   */
  access?: RecordListing['access'] | 'none';
  relationship?: RecordListing['relationship'];
  participants?: RecordListing['participants'];
}

/** A record as the server lists it to someone who may read it: the device lists and keeps exactly these. */
export interface RecordListing {
  name: string;
  kind: RecordKind;
  status: RecordStatus;
  /** 'read': the record opens read-only for this person (the server drops their edits). */
  access: 'read' | 'write';
  /** How this person is tied to the record: why they may see it. */
  relationship: 'author' | 'subject' | 'contributor' | 'reader' | 'moderator' | 'line-manager' | 'oversight';
  /** Who wrote it, and the people added to it (the server's data: what gives them access). */
  authorId: string;
  participants: { userId: string; role: 'subject' | 'contributor' | 'reader' | 'moderator' }[];
}
