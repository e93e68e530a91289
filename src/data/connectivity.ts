/**
 * Whether the Fieldnotes server can be reached right now. `navigator.onLine` only says a network exists,
 * not that the server answers, so the app asks the server itself — at start, every 20 seconds (every 4 to 6,
 * at random, while it cannot be reached, so a crowd of tablets does not ask in step), and as soon as the
 * browser says the network has come back. Any answer also wakes sync (api.ts onServerAnswered).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { checkHealth } from './api';

export function useServerReachable(): boolean | undefined {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['server-health'],
    queryFn: checkHealth,
    // While the server cannot be reached, look again every 4–6 seconds so the return is noticed quickly.
    refetchInterval: (q) => (q.state.status === 'error' ? 4_000 + Math.round(Math.random() * 2_000) : 20_000),
    retry: false,
    networkMode: 'always',
  });
  useEffect(() => {
    const recheck = () => void queryClient.invalidateQueries({ queryKey: ['server-health'] });
    window.addEventListener('online', recheck);
    window.addEventListener('offline', recheck);
    document.addEventListener('visibilitychange', recheck);
    return () => {
      window.removeEventListener('online', recheck);
      window.removeEventListener('offline', recheck);
      document.removeEventListener('visibilitychange', recheck);
    };
  }, [queryClient]);
  if (query.isPending) return undefined;
  return query.isSuccess;
}
