/** What crosses the wire when someone signs in, shared by the app and the server. */
import { z } from 'zod';
import { personSchema } from './directory';

export const signInRequestSchema = z.object({
  username: z.string().trim().min(1, 'Enter your username.').max(100, 'That username is too long.'),
  password: z.string().min(1, 'Enter your password.').max(200, 'That password is too long.'),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

/** The signed-in person typing their password again (to unlock family mode). */
export const confirmPasswordRequestSchema = z.object({ password: signInRequestSchema.shape.password });

/**
 * A signed-in session: `token` is the short-lived access token every request and sync connection
 * carries (until `expiresAt`), kept in memory only. The refresh token never reaches script: the server
 * sets it as an HttpOnly cookie (REFRESH_COOKIE, sent only to REFRESH_PATH), exchanged once for a new one
 * on each renewal, until `refreshExpiresAt` (renewed with it).
 */
export const signInResponseSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  refreshExpiresAt: z.string(),
  user: personSchema,
});
export type SignInResponse = z.infer<typeof signInResponseSchema>;

/** The cookie that holds the refresh token, and the one path the browser sends it to. */
export const REFRESH_COOKIE = 'fieldnotes_refresh';
/** POST renews the sign-in; DELETE ends it (signing out, with or without an access token). */
export const REFRESH_PATH = '/api/refresh';

/** Every error the API sends has this shape, so the app can show the reason. */
export const apiErrorSchema = z.object({ error: z.string(), message: z.string() });
export type ApiError = z.infer<typeof apiErrorSchema>;
