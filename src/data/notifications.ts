/**
 * Notifications and immediate concerns, from the server. Both need a connection to change; the last
 * answers stay in TanStack Query's cache while offline. A notification pushed through the person's inbox
 * refreshes the list at once.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { z } from 'zod';
import { concernSchema, notificationListSchema, type Concern, type NotificationList } from '../../domain/notifications';
import { signedInFetch } from './api';
import { useSyncManager } from './sync/SyncContext';

const notificationsKey = (userId: string) => ['notifications', userId] as const;

export function useNotifications(userId: string) {
  const queryClient = useQueryClient();
  const manager = useSyncManager();
  useEffect(() => manager?.onNotification(() => void queryClient.invalidateQueries({ queryKey: notificationsKey(userId) })), [manager, queryClient, userId]);
  return useQuery({
    queryKey: notificationsKey(userId),
    queryFn: async (): Promise<NotificationList> => notificationListSchema.parse(await signedInFetch('/api/notifications')),
    refetchInterval: 60_000,
    retry: false,
  });
}

export function useMarkNotificationsRead(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (ids?: number[]) => signedInFetch('/api/notifications/read', { body: ids ? { ids } : {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsKey(userId) }),
  });
}

/** The immediate concerns raised on a record; refreshed when a notification arrives or a command is sent. */
export function useConcerns(userId: string, record: string) {
  const queryClient = useQueryClient();
  const manager = useSyncManager();
  const key = ['concerns', userId, record] as const;
  useEffect(() => manager?.onNotification(() => void queryClient.invalidateQueries({ queryKey: ['concerns', userId] })), [manager, queryClient, userId]);
  return useQuery({
    queryKey: key,
    queryFn: async (): Promise<Concern[]> =>
      z.object({ concerns: z.array(concernSchema) }).parse(await signedInFetch(`/api/records/concerns?record=${encodeURIComponent(record)}`)).concerns,
    refetchInterval: 30_000,
    retry: false,
  });
}
