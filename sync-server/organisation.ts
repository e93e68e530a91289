/**
 * The organisation as an administrator manages it: services, teams and people. The demo organisation is
 * created through these same functions, so a newcomer's first sign-in exercises the real path.
 */
import { randomUUID } from 'node:crypto';
import { roles, type Directory, type Person, type Role } from '../domain/directory';
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
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  team_id: string | null;
  service_id: string | null;
  password_hash: string;
  active: number;
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

  async addUser(user: NewUser): Promise<string> {
    if (!roles.includes(user.role)) throw new OrganisationError(`"${user.role}" is not a role.`);
    if (user.password.length < 8) throw new OrganisationError('A password needs at least 8 characters.');
    let serviceId = user.serviceId ?? null;
    if (user.teamId) {
      const team = this.db.prepare('SELECT service_id FROM teams WHERE id = ?').get(user.teamId) as { service_id: string } | undefined;
      if (!team) throw new OrganisationError(`There is no team with id ${user.teamId}.`);
      serviceId = team.service_id;
    }
    const username = requireText(user.username, 'A user needs a username.').toLowerCase();
    if (this.db.prepare('SELECT 1 FROM users WHERE username = ?').get(username))
      throw new OrganisationError(`The username "${username}" is taken.`);
    const id = randomUUID();
    const hash = await hashPassword(user.password);
    this.db
      .prepare(
        `INSERT INTO users (id, username, display_name, role, team_id, service_id, password_hash, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, username, requireText(user.displayName, 'A user needs a name.'), user.role, user.teamId ?? null, serviceId, hash, new Date().toISOString());
    return id;
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

  directory(): Directory {
    const services = this.db.prepare('SELECT id, name FROM services ORDER BY name').all() as Directory['services'];
    const teams = (this.db.prepare('SELECT id, name, service_id FROM teams ORDER BY name').all() as { id: string; name: string; service_id: string }[]).map(
      (t) => ({ id: t.id, name: t.name, serviceId: t.service_id }),
    );
    const people = (this.db.prepare('SELECT * FROM users WHERE active = 1 ORDER BY display_name').all() as UserRow[]).map(toPerson);
    return { services, teams, people };
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
  };
}

function requireText(value: string, message: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new OrganisationError(message);
  return trimmed;
}
