/**
 * Quarterly summaries (issue 17): the list is read online from the server, which lists only those this person
 * may read; starting one asks the server, which drafts it from its data. The summary itself is a record like
 * any other: once started it is on the tablet and is written offline too.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SummaryListing } from '../../domain/summary';
import { signedInFetch } from './api';
import { useSignedIn } from './sessionContext';

export function useSummaries() {
  const { user } = useSignedIn();
  return useQuery({
    queryKey: ['summaries', user.id],
    queryFn: async () => ((await signedInFetch('/api/summaries')) as { summaries: SummaryListing[] }).summaries,
    retry: false,
  });
}

/**
 * Starts (or opens, when it exists) the summary of a service for a quarter; answers its record name. With
 * `redraft`, the server drafts an existing one again from the records as they are now.
 */
export function useStartSummary() {
  const { user } = useSignedIn();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: { service: string; quarter: string; redraft?: boolean }) =>
      (await signedInFetch('/api/summaries', { method: 'POST', body: input })) as { name: string; created: boolean },
    onSuccess: () => void client.invalidateQueries({ queryKey: ['summaries', user.id] }),
  });
}
