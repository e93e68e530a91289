/**
 * The team manager's response to a record's findings, from the server (issue 15, item 3). Reading it needs
 * a connection (the last answer stays in TanStack Query's cache); recording it is a command, so it works
 * offline. Refreshed when the inbox says actions changed, as a response changes the record's actions' history.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { z } from 'zod';
import { findingsResponseViewSchema, type FindingsResponse } from '../../domain/followUp';
import { signedInFetch } from './api';
import { useSyncManager } from './sync/SyncContext';

export function useFindingsResponse(userId: string, record: string, enabled: boolean) {
  const queryClient = useQueryClient();
  const manager = useSyncManager();
  useEffect(() => manager?.onNotification(() => void queryClient.invalidateQueries({ queryKey: ['response', userId] })), [manager, queryClient, userId]);
  return useQuery({
    queryKey: ['response', userId, record],
    enabled,
    queryFn: async (): Promise<FindingsResponse | null> =>
      z.object({ response: findingsResponseViewSchema.nullable() }).parse(await signedInFetch(`/api/records/response?record=${encodeURIComponent(record)}`)).response,
    refetchInterval: 60_000,
    retry: false,
  });
}
