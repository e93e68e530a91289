/**
 * The dashboard's tables, built once from the server's figures: the screen renders them (each count opens
 * the records behind it) and the CSV export writes the same rows, so every table on screen is exported
 * exactly as shown. Pure, so tests read the tables without a browser.
 */
import type { Figure, PeriodFigures, ReportFigures, ReportGradeField } from '../../../domain/reports';
import { figureAt, goodOrBetterShare, reportGradeFields } from '../../../domain/reports';
import { grades, reviewDomains } from '../../../domain/review';
import type { CsvCell } from '../../lib/csv';
import { formatDate } from '../../lib/format';
import type { ProgrammeReport } from '../../../domain/reportProgramme';

/** A count, with where it sits in the figures (the records behind it are asked for by that path); the rest as CSV writes them. */
export type TableCell = CsvCell | { figure: Figure; path: string; label: string };

export interface ReportTable {
  id: string;
  title: string;
  /** What the table counts, for people who read the caption first (screen readers). */
  caption: string;
  headers: string[];
  rows: TableCell[][];
}

export const gradeFieldLabels: Record<ReportGradeField, string> = {
  ...(Object.fromEntries(reviewDomains.map((d) => [`${d.key}Grade`, d.label])) as Record<Exclude<ReportGradeField, 'overallGrade'>, string>),
  overallGrade: 'Overall grade',
};

const periodCells = (p: PeriodFigures, which: string): TableCell[] => [`${p.period.label} (${which})`, { date: p.period.start }, { date: p.period.end }];
export function reportTables(figures: ReportFigures, teamName: (id: string) => string): ReportTable[] {
  const cell = (path: string, label: string): TableCell => ({ figure: figureAt(figures, path) ?? { count: 0, records: [] }, path, label });
  const key = (p: PeriodFigures) => (p === figures.current ? 'current' : 'previous');
  const periods: [PeriodFigures, string][] = [
    [figures.current, 'this period'],
    [figures.previous, 'the period before'],
  ];
  const periodHeaders = ['Period', 'From', 'To'];
  const gradeHeaders = grades.map((g) => g.label);

  const activity: ReportTable = {
    id: 'activity',
    title: 'Activity',
    caption: 'Records finished in each period: observations completed, reviews submitted, family feedback given with consent, and reviews moderated.',
    headers: [...periodHeaders, 'Observations of practice', 'Collaborative case reviews', 'Family feedback', 'Moderations'],
    rows: periods.map(([p, which]) => [
      ...periodCells(p, which),
      cell(`${key(p)}.activity.observation`, `Observations of practice, ${p.period.label}`),
      cell(`${key(p)}.activity.review`, `Collaborative case reviews, ${p.period.label}`),
      cell(`${key(p)}.activity.feedback`, `Family feedback, ${p.period.label}`),
      cell(`${key(p)}.activity.moderation`, `Moderations, ${p.period.label}`),
    ]),
  };

  const overall: ReportTable = {
    id: 'overall-grades',
    title: 'Overall grades',
    caption: 'Reviews submitted in each period by overall grade: the grade moderation agreed, where it has been moderated.',
    headers: [...periodHeaders, ...gradeHeaders],
    rows: periods.map(([p, which]) => [...periodCells(p, which), ...grades.map((g) => cell(`${key(p)}.gradeSpread.overallGrade.${g.value}`, `${g.label} overall, ${p.period.label}`))]),
  };

  const trends: ReportTable = {
    id: 'trends',
    title: 'Overall grades over the last five quarters',
    caption: 'Reviews submitted in each quarter up to the chosen period, by overall grade (as moderated, where moderated), and the share graded Good or better.',
    headers: [...periodHeaders, ...gradeHeaders, 'Graded', 'Good or better', 'Good or better (%)'],
    rows: figures.trends.map((t, index) => [
      t.period.label,
      { date: t.period.start },
      { date: t.period.end },
      ...grades.map((g) => cell(`trends.${index}.overall.${g.value}`, `${g.label} overall, ${t.period.label}`)),
      cell(`trends.${index}.graded`, `Reviews graded, ${t.period.label}`),
      cell(`trends.${index}.goodOrBetter`, `Good or better, ${t.period.label}`),
      goodOrBetterShare(t) ?? '',
    ]),
  };

  const domains: ReportTable = {
    id: 'domain-grades',
    title: 'Grades in each of the seven domains',
    caption: 'Reviews submitted in each period by the grade given in each domain (as moderated, where moderated).',
    headers: ['Domain', ...periodHeaders, ...gradeHeaders],
    rows: reportGradeFields
      .filter((f) => f !== 'overallGrade')
      .flatMap((field) =>
        periods.map(([p, which]) => [
          gradeFieldLabels[field],
          ...periodCells(p, which),
          ...grades.map((g) => cell(`${key(p)}.gradeSpread.${field}.${g.value}`, `${gradeFieldLabels[field]} ${g.label}, ${p.period.label}`)),
        ]),
      ),
  };

  const moderation: ReportTable = {
    id: 'moderation',
    title: 'Moderation',
    caption: 'Reviews moderated in each period, and how often moderation changed a grade.',
    headers: [...periodHeaders, 'Reviews moderated', 'A grade changed'],
    rows: periods.map(([p, which]) => [...periodCells(p, which), cell(`${key(p)}.moderation.moderated`, `Moderated, ${p.period.label}`), cell(`${key(p)}.moderation.changed`, `A grade changed, ${p.period.label}`)]),
  };

  const changes: ReportTable = {
    id: 'moderation-changes',
    title: 'Grades moderation changed, by domain and direction',
    caption: 'How many moderated reviews had each grade raised or lowered by moderation.',
    headers: ['Grade', ...periodHeaders, 'Raised', 'Lowered'],
    rows: reportGradeFields.flatMap((field) =>
      periods.map(([p, which]) => [
        gradeFieldLabels[field],
        ...periodCells(p, which),
        cell(`${key(p)}.moderation.byField.${field}.up`, `${gradeFieldLabels[field]} raised, ${p.period.label}`),
        cell(`${key(p)}.moderation.byField.${field}.down`, `${gradeFieldLabels[field]} lowered, ${p.period.label}`),
      ]),
    ),
  };

  const average = (n: number | null): TableCell => (n === null ? '' : n);
  const feedback: ReportTable = {
    id: 'family-feedback',
    title: 'Family feedback',
    caption: 'Feedback given with consent, by team: how many gave it, how many gave a score from 0 to 10, and the average score.',
    headers: ['Team', ...periodHeaders, 'Gave feedback', 'Gave a score', 'Average score (0 to 10)'],
    rows: periods.flatMap(([p, which]) => [
      ...p.feedback.byTeam.map((t, index): TableCell[] => [
        teamName(t.teamId),
        ...periodCells(p, which),
        cell(`${key(p)}.feedback.byTeam.${index}.given`, `Family feedback, ${teamName(t.teamId)}, ${p.period.label}`),
        t.scored,
        average(t.averageScore),
      ]),
      ['All teams', ...periodCells(p, which), cell(`${key(p)}.feedback.given`, `Family feedback, all teams, ${p.period.label}`), p.feedback.byTeam.reduce((n, t) => n + t.scored, 0), average(p.feedback.averageScore)],
    ]),
  };

  const open: ReportTable = {
    id: 'open-and-overdue',
    title: 'Open and overdue actions and concerns',
    caption: `Now (${figures.today}): actions not yet done, immediate concerns not yet resolved, and those overdue.`,
    headers: ['What', 'As of', 'Open', 'Overdue'],
    rows: [
      ['Actions', { date: figures.today }, cell('actions.open', 'Open actions'), cell('actions.overdue', 'Overdue actions')],
      ['Immediate concerns', { date: figures.today }, cell('concerns.open', 'Open concerns'), cell('concerns.overdue', 'Overdue concerns')],
    ],
  };

  return [activity, overall, trends, domains, moderation, changes, feedback, open];
}

/** A table's rows as CSV cells: each figure as its count. */
export const csvRows = (table: ReportTable): CsvCell[][] => table.rows.map((row) => row.map((c) => (typeof c === 'object' && 'figure' in c ? c.figure.count : c)));

/** Activity against the programme's expectations (asked for beside the figures): each row's records open like any figure. */
export function programmeTable(report: ProgrammeReport): ReportTable {
  return {
    id: 'programme',
    title: 'Activity against the programme',
    caption: `What the QA programme expects, against what was done, ${report.period.label}: for each expectation, of how many people it is expected, how many observations or reviews (or, for each direct report, people) were expected and done, and the share done.`,
    headers: ['Expectation', 'Counted over', 'Expected of', 'Expected', 'Done', 'Coverage (%)', 'Records counted'],
    rows: report.rows.map((r, index) => [r.description, r.span, r.expectedOf, r.expected, r.done, r.coverage ?? '', { figure: r.records, path: `programme.${index}.records`, label: `${r.description}, ${r.span}` }]),
  };
}

/** A table's rows in words, as the screen shows them: each figure its count, each date a day (the PDF's tables). */
export const plainRows = (table: ReportTable): string[][] =>
  table.rows.map((row) => row.map((c) => (typeof c === 'object' ? ('figure' in c ? String(c.figure.count) : formatDate(c.date)) : String(c))));
