/**
 * The organisation's directory, cached on the device so that a manager can pick the practitioner they
 * observe with no signal. Refreshed from the server whenever it can be; read from Dexie always.
 */
import { useQuery } from '@tanstack/react-query';
import { useLiveQuery } from 'dexie-react-hooks';
import type { Directory, Person, Team } from '../../domain/directory';
import { defaultOrganisationSettings, organisationSettingsSchema, type OrganisationSettings } from '../../domain/organisationSettings';
import { fetchDirectory } from './api';
import { dbFor } from './db';
import { reportStorageError } from './storageHealth';

export async function cacheDirectory(userId: string, directory: Directory): Promise<void> {
  const db = dbFor(userId);
  try {
    await db.transaction('rw', db.people, db.teams, db.services, db.meta, async () => {
      await Promise.all([db.people.clear(), db.teams.clear(), db.services.clear()]);
      await Promise.all([db.people.bulkPut(directory.people), db.teams.bulkPut(directory.teams), db.services.bulkPut(directory.services)]);
      if (directory.organisation) await db.meta.put({ key: ORGANISATION_KEY, value: JSON.stringify(directory.organisation) });
    });
  } catch (error) {
    reportStorageError(error);
    throw error;
  }
}

/** Fetches the directory when online and caches it; offline, the cached copy is used. */
export function useDirectoryRefresh(userId: string) {
  return useQuery({
    queryKey: ['directory', userId],
    queryFn: async () => {
      const directory = await fetchDirectory();
      await cacheDirectory(userId, directory);
      return directory.people.length;
    },
    staleTime: 5 * 60 * 1000,
    retry: false,
  });
}

export interface CachedDirectory {
  people: Person[];
  teams: Team[];
}

export function useCachedDirectory(userId: string): CachedDirectory | undefined {
  return useLiveQuery(async () => {
    const db = dbFor(userId);
    const [people, teams] = await Promise.all([db.people.orderBy('id').toArray(), db.teams.toArray()]);
    people.sort((a, b) => a.displayName.localeCompare(b.displayName, 'en-GB'));
    return { people, teams };
  }, [userId]);
}

const ORGANISATION_KEY = 'organisation';

/** The organisation's name and protective marking as last heard from the server (the default marking until then). */
export async function readOrganisationSettings(userId: string): Promise<OrganisationSettings> {
  const stored = (await dbFor(userId).meta.get(ORGANISATION_KEY))?.value;
  if (!stored) return defaultOrganisationSettings;
  try {
    return organisationSettingsSchema.parse(JSON.parse(stored));
  } catch {
    return defaultOrganisationSettings;
  }
}

export function useOrganisationSettings(userId: string): OrganisationSettings | undefined {
  return useLiveQuery(() => readOrganisationSettings(userId), [userId]);
}

/** The services of the cached directory, by id (coverage groups teams under their service). */
export function useCachedServices(userId: string): Map<string, string> | undefined {
  return useLiveQuery(async () => new Map((await dbFor(userId).services.toArray()).map((s) => [s.id, s.name])), [userId]);
}
