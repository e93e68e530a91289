/**
 * The organisation as an administrator manages it: services, teams, people and line management. The
 * demo organisation and the first-admin CLI go through these same functions, so a newcomer's first
 * sign-in exercises the real path.
 */
import { randomUUID } from 'node:crypto';
import { MIN_PASSWORD_LENGTH, type UserChange } from '../domain/admin';
import { defaultOrganisationSettings, organisationSettingsChangeSchema, type OrganisationSettings } from '../domain/organisationSettings';
import { readsCaseRecords, roles, type Directory, type Person, type Role, type UserAccount } from '../domain/directory';
import type { ServerDatabase } from './database';
import { hashPassword } from './passwords';

export class OrganisationError extends Error {}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  password: string;
  teamId?: string;
  serviceId?: string;
  /** Their line manager; by default the manager of their team (unless they manage it). */
  managerId?: string;
  /** Where urgent notices are emailed ('' or absent: none). */
  email?: string;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  team_id: string | null;
  service_id: string | null;
  manager_id: string | null;
  password_hash: string;
  active: number;
  email: string | null;
}

export class Organisation {
  constructor(private readonly db: ServerDatabase) {}

  isEmpty(): boolean {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n === 0;
  }

  addService(name: string): string {
    const id = randomUUID();
    this.db.prepare('INSERT INTO services (id, name) VALUES (?, ?)').run(id, requireText(name, 'A service needs a name.'));
    return id;
  }

  addTeam(name: string, serviceId: string): string {
    if (!this.db.prepare('SELECT 1 FROM services WHERE id = ?').get(serviceId))
      throw new OrganisationError(`There is no service with id ${serviceId}.`);
    const id = randomUUID();
    this.db.prepare('INSERT INTO teams (id, name, service_id) VALUES (?, ?, ?)').run(id, requireText(name, 'A team needs a name.'), serviceId);
    return id;
  }

  /** Makes someone the team's manager: the first step of the line above every record of the team. */
  setTeamManager(teamId: string, managerId: string): void {
    this.requireTeam(teamId);
    requireCaseWorker(this.requireUser(managerId));
    this.db.transaction(() => {
      this.db.prepare('UPDATE teams SET manager_id = ? WHERE id = ?').run(managerId, teamId);
      // Members without a line manager report to their team's manager.
      this.db.prepare('UPDATE users SET manager_id = ? WHERE team_id = ? AND id != ? AND manager_id IS NULL').run(managerId, teamId, managerId);
    })();
  }

  /**
   * Adds a person. `passwordHash` is `user.password` already hashed, for the demo's people only: they share
   * one published password, so one hash (~150 ms of scrypt) serves all of them instead of one each —
   * seconds off every demo start, and off every test server. Someone who changes it gets a salt of their own.
   */
  async addUser(user: NewUser, passwordHash?: string): Promise<string> {
    if (!roles.includes(user.role)) throw new OrganisationError(`"${user.role}" is not a role.`);
    if (user.password.length < MIN_PASSWORD_LENGTH) throw new OrganisationError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    const username = requireText(user.username, 'A user needs a username.').toLowerCase();
    if (this.db.prepare('SELECT 1 FROM users WHERE username = ?').get(username))
      throw new OrganisationError(`The username "${username}" is taken.`);
    const placement = this.placement(user.teamId || null, user.serviceId || null, user.managerId || null, null);
    const id = randomUUID();
    const hash = passwordHash ?? (await hashPassword(user.password));
    this.db
      .prepare(
        `INSERT INTO users (id, username, display_name, role, team_id, service_id, manager_id, password_hash, created_at, email)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, username, requireText(user.displayName, 'A user needs a name.'), user.role, placement.teamId, placement.serviceId, placement.managerId, hash, new Date().toISOString(), user.email?.trim() || null);
    return id;
  }

  /**
   * Moves someone between teams, changes their line manager or role, or deactivates them. Returns the
   * account as it now is. (Ending their sign-ins and live connections is the caller's job: see http.ts.)
   */
  changeUser(userId: string, change: UserChange): UserAccount {
    const row = this.requireUser(userId);
    if (change.role !== undefined && !roles.includes(change.role)) throw new OrganisationError(`"${change.role}" is not a role.`);
    const teamChanged = change.teamId !== undefined && change.teamId !== (row.team_id ?? '');
    const teamId = change.teamId !== undefined ? change.teamId || null : row.team_id;
    const serviceId = change.serviceId !== undefined ? change.serviceId || null : teamChanged ? null : row.service_id;
    // A move to another team brings a new line manager unless one is given.
    const managerId = change.managerId !== undefined ? change.managerId || null : teamChanged ? null : row.manager_id;
    const placement = this.placement(teamId, serviceId, managerId, userId);
    this.db
      .prepare('UPDATE users SET team_id = ?, service_id = ?, manager_id = ?, role = ?, active = ?, email = ? WHERE id = ?')
      .run(
        placement.teamId,
        placement.serviceId,
        placement.managerId,
        change.role ?? row.role,
        change.active === undefined ? row.active : change.active ? 1 : 0,
        change.email === undefined ? row.email : change.email.trim() || null,
        userId,
      );
    // The day someone left (or null again on their return): the QA programme expects of them pro rata.
    if (change.active !== undefined) this.db.prepare('UPDATE users SET left_at = CASE WHEN active = 1 THEN NULL ELSE COALESCE(left_at, ?) END WHERE id = ?').run(new Date().toISOString(), userId);
    return toAccount(this.requireUser(userId));
  }

  async resetPassword(userId: string, password: string): Promise<void> {
    this.requireUser(userId);
    if (password.length < MIN_PASSWORD_LENGTH) throw new OrganisationError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(await hashPassword(password), userId);
  }

  /** Where a person sits: their team decides their service, and their team's manager is their default line manager. */
  private placement(teamId: string | null, serviceId: string | null, managerId: string | null, userId: string | null) {
    let service = serviceId;
    let manager = managerId;
    if (teamId) {
      const team = this.requireTeam(teamId);
      service = team.service_id;
      if (!manager && team.manager_id !== userId) manager = team.manager_id;
    } else if (service && !this.db.prepare('SELECT 1 FROM services WHERE id = ?').get(service)) {
      throw new OrganisationError(`There is no service with id ${service}.`);
    }
    if (manager) {
      requireCaseWorker(this.requireUser(manager));
      if (userId && this.lineAbove(manager).includes(userId)) throw new OrganisationError('Someone cannot be managed by a person they manage.');
      if (manager === userId) throw new OrganisationError('Someone cannot be their own line manager.');
    }
    return { teamId, serviceId: service, managerId: manager };
  }

  /** A person's line manager, their manager, and so on to the top. */
  lineAbove(userId: string): string[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE line(id, depth) AS (
           SELECT manager_id, 1 FROM users WHERE id = ? AND manager_id IS NOT NULL
           UNION SELECT u.manager_id, line.depth + 1 FROM users u JOIN line ON u.id = line.id
           WHERE u.manager_id IS NOT NULL AND line.depth < 50
         ) SELECT id FROM line ORDER BY depth`,
      )
      .all(userId) as { id: string }[];
    return rows.map((r) => r.id);
  }

  private requireTeam(teamId: string) {
    const team = this.db.prepare('SELECT service_id, manager_id FROM teams WHERE id = ?').get(teamId) as { service_id: string; manager_id: string | null } | undefined;
    if (!team) throw new OrganisationError(`There is no team with id ${teamId}.`);
    return team;
  }

  private requireUser(userId: string): UserRow {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(userId) as UserRow | undefined;
    if (!row) throw new OrganisationError(`There is no person with id ${userId}.`);
    return row;
  }

  /** The user with this username and their password hash, for signing in; inactive users are not found. */
  findActiveUserForSignIn(username: string): { person: Person; passwordHash: string } | null {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ? AND active = 1').get(username.trim().toLowerCase()) as
      | UserRow
      | undefined;
    return row ? { person: toPerson(row), passwordHash: row.password_hash } : null;
  }

  findActiveUser(id: string): Person | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ? AND active = 1').get(id) as UserRow | undefined;
    return row ? toPerson(row) : null;
  }

  findUserByUsername(username: string): UserAccount | null {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username.trim().toLowerCase()) as UserRow | undefined;
    return row ? toAccount(row) : null;
  }

  /** One person's account (active or not), or null. */
  account(id: string): UserAccount | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toAccount(row) : null;
  }

  /** Everyone, including people who have left, for the admin screen. */
  accounts(): UserAccount[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY display_name').all() as UserRow[]).map(toAccount);
  }

  directory(): Directory {
    const services = this.db.prepare('SELECT id, name FROM services ORDER BY name').all() as Directory['services'];
    const teams = (
      this.db.prepare('SELECT id, name, service_id, manager_id FROM teams ORDER BY name').all() as {
        id: string;
        name: string;
        service_id: string;
        manager_id: string | null;
      }[]
    ).map((t) => ({ id: t.id, name: t.name, serviceId: t.service_id, managerId: t.manager_id ?? '' }));
    const people = (this.db.prepare('SELECT * FROM users WHERE active = 1 ORDER BY display_name').all() as UserRow[]).map(toPerson);
    return { services, teams, people, organisation: this.settings() };
  }

  /** The organisation's name and protective marking (the marking is OFFICIAL-SENSITIVE until set). */
  settings(): OrganisationSettings {
    const rows = this.db.prepare('SELECT key, value FROM organisation_settings').all() as { key: string; value: string }[];
    const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    return { name: stored.name ?? defaultOrganisationSettings.name, marking: stored.marking || defaultOrganisationSettings.marking };
  }

  /** Changes the name, the marking or both (checked here, whoever calls: the admin screen, the CLI, the demo). */
  setSettings(change: unknown): OrganisationSettings {
    const parsed = organisationSettingsChangeSchema.safeParse(change);
    if (!parsed.success) throw new OrganisationError(parsed.error.issues[0]?.message ?? 'Check the organisation’s settings.');
    const upsert = this.db.prepare('INSERT INTO organisation_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(parsed.data)) if (value !== undefined) upsert.run(key, value);
    })();
    return this.settings();
  }
}

function toPerson(row: UserRow): Person {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    teamId: row.team_id ?? '',
    serviceId: row.service_id ?? '',
    managerId: row.manager_id ?? '',
  };
}

const toAccount = (row: UserRow): UserAccount => ({ ...toPerson(row), active: row.active === 1, email: row.email ?? '' });

/** Line managers read their teams' records; administrators manage people, not case records. */
function requireCaseWorker(row: UserRow): void {
  if (!readsCaseRecords(row.role)) throw new OrganisationError('An administrator cannot be a line manager: line managers read their teams’ records.');
}

function requireText(value: string, message: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new OrganisationError(message);
  return trimmed;
}
