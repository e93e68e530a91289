/** Checks that every form's strict schema uses, so that the same problem reads the same everywhere. */
import { z } from 'zod';

export const required = (message: string) => z.string().trim().min(1, message);

const TOO_LONG = 'This is too long: keep it under 20,000 characters.';
export const narrative = (message: string) => required(message).max(20000, TOO_LONG);
export const optionalNarrative = z.string().max(20000, TOO_LONG);

/**
 * The latest date that is "today" somewhere a user might be: the schema runs on devices and on the
 * server, whose clocks and time zones differ, so a date one day past UTC's today is still allowed.
 */
const latestToday = () => new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

/** An ISO calendar date that is real and not in the future. */
export const pastOrTodayDate = (message: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, message)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), message)
    .refine((v) => v <= latestToday(), 'The date cannot be in the future.');
