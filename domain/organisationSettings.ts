/**
 * What an organisation sets about itself: its name and the protective marking on every copy of a record
 * (the PDF for the child's file, the printed page). Set by an administrator (admin screen or CLI), kept by
 * the server, and given to devices with the directory so that a PDF made with no signal carries them.
 */
import { z } from 'zod';

/** Councils mark records about children OFFICIAL-SENSITIVE (Government Security Classifications). */
export const DEFAULT_MARKING = 'OFFICIAL-SENSITIVE';

export const organisationSettingsSchema = z.object({
  name: z.string().trim().max(200, 'That name is too long.'),
  marking: z.string().trim().min(1, 'Enter the protective marking, for example OFFICIAL-SENSITIVE.').max(60, 'A marking is at most 60 characters.'),
});
export type OrganisationSettings = z.infer<typeof organisationSettingsSchema>;

export const defaultOrganisationSettings: OrganisationSettings = { name: '', marking: DEFAULT_MARKING };

/** What an administrator sends: either or both. */
export const organisationSettingsChangeSchema = organisationSettingsSchema.partial();
