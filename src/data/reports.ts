/**
 * Reports (issue 17) are read online from the server, which builds them from its read model and only from
 * records this person may read; nothing is kept on the tablet (figures across teams are not case work).
 */
import { useQuery } from '@tanstack/react-query';
import type { ReportFigures } from '../../domain/reports';
import type { ProgrammeReport } from '../../domain/reportProgramme';
import { signedInFetch } from './api';
import { useSignedIn } from './sessionContext';

export interface ReportQuery {
  period: string;
  service: string;
  team: string;
}

export function useReport(query: ReportQuery) {
  const { user } = useSignedIn();
  return useQuery({
    queryKey: ['reports', user.id, query.period, query.service, query.team],
    queryFn: async () => (await signedInFetch(`/api/reports?${new URLSearchParams({ ...query }).toString()}`)) as ReportFigures,
    // A refusal or a lost connection is an answer: asking again would only keep the person waiting.
    retry: false,
  });
}

/** The records behind one figure (its path in the figures), asked for when the person chooses it. */
export function useRecordsBehind(query: ReportQuery, figure: string | null) {
  const { user } = useSignedIn();
  return useQuery({
    queryKey: ['reports', user.id, query.period, query.service, query.team, 'records', figure],
    queryFn: async () => (await signedInFetch(`/api/reports/records?${new URLSearchParams({ ...query, figure: figure ?? '' }).toString()}`)) as { figure: string; count: number; records: string[] },
    enabled: figure !== null,
    retry: false,
  });
}

/** Activity against the programme's expectations for the same choice (asked for beside the figures). */
export function useProgrammeReport(query: ReportQuery) {
  const { user } = useSignedIn();
  return useQuery({
    queryKey: ['reports', user.id, query.period, query.service, query.team, 'programme'],
    queryFn: async () => (await signedInFetch(`/api/reports/programme?${new URLSearchParams({ ...query }).toString()}`)) as ProgrammeReport,
    retry: false,
  });
}
