/**
 * What follows a record's findings (issue 15, items 3 and 4): the team manager's response, and the
 * follow-up rules. The rules are data, listed here and shown to the QA team on the Follow-up rules
 * screen, so what the server does can be read (and changed, by changing this list) without reading code:
 * Wandsworth 33 (three more cases dip-sampled, then the caseload), 002 §6.11 (inadequate work shared
 * with team and service managers), 003 §12 and 004 §10.5 (re-audit to confirm improvement).
 */
import { z } from 'zod';
import type { Grade } from './review';

/** Grades that call for follow-up. */
export const concernGrades: readonly Grade[] = ['requires-improvement', 'inadequate'];

export interface FollowUpRule {
  id: string;
  /** When it applies, in words. */
  when: string;
  /** What the server does, in words. */
  then: string;
  /** Who is given the follow-up, if it creates one. */
  owner?: 'team-manager' | 'service-manager' | 'lead-reviewer';
  /** Days from the day it is created to its due date. */
  dueInDays?: number;
  /** Reviews whose overall grade (as moderated) is one of these. */
  grades?: readonly Grade[];
  /** For the dip sample: how many of the practitioner's other cases are audited. */
  cases?: number;
  /** For the caseload audit: in how many of the dip sample's cases a domain must be graded RI or Inadequate again. */
  recurringInCases?: number;
}

export const followUpRules: readonly FollowUpRule[] = [
  {
    id: 'share-concern-grade',
    when: 'A collaborative case review is moderated with an overall grade of Requires Improvement or Inadequate.',
    then: 'The practitioner’s team manager and service manager are told.',
    grades: concernGrades,
  },
  {
    id: 'dip-sample',
    when: 'A collaborative case review is moderated with an overall grade of Requires Improvement or Inadequate.',
    then: 'The practitioner’s team manager is given a follow-up: audit three more of this practitioner’s cases. Each review is linked to the follow-up when it is started; the follow-up is done when three of them are moderated.',
    owner: 'team-manager',
    dueInDays: 56,
    grades: concernGrades,
    cases: 3,
  },
  {
    id: 'caseload-audit',
    when: 'The three cases of a dip sample are moderated, and a domain graded Requires Improvement or Inadequate in the first review is graded so again in at least one of them.',
    then: 'The service manager is given a follow-up: audit the practitioner’s whole caseload.',
    owner: 'service-manager',
    dueInDays: 56,
    recurringInCases: 1,
  },
  {
    id: 're-audit',
    when: 'A collaborative case review is moderated with an overall grade of Inadequate.',
    then: 'A re-audit of the same child is proposed to the lead reviewer, to confirm the work has improved.',
    owner: 'lead-reviewer',
    dueInDays: 91,
    grades: ['inadequate'],
  },
];

export const ruleById = (id: string) => followUpRules.find((r) => r.id === id);

/** The team manager's response to a finished record's findings (Wandsworth 34): a short text, and agreed or not with each action. */
export const findingsResponseSchema = z.object({
  text: z.string().trim().min(1, 'Write your response to the findings.').max(5000, 'Keep the response under 5,000 characters.'),
  agreements: z.array(z.object({ actionId: z.string().min(1), agreed: z.boolean() })).max(200),
});
export type FindingsResponseInput = z.infer<typeof findingsResponseSchema>;

export const findingsResponseViewSchema = z.object({
  record: z.string(),
  byId: z.string(),
  byName: z.string(),
  at: z.string(),
  text: z.string(),
  agreements: z.array(z.object({ actionId: z.string(), agreed: z.boolean() })),
});
export type FindingsResponse = z.infer<typeof findingsResponseViewSchema>;
