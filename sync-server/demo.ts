/**
 * The demo organisation a fresh server starts with, created through the administrator's own functions.
 * Everyone shares one password so that a newcomer can try each role; the start-up banner prints it.
 */
import type { Role } from '../domain/directory';
import type { Organisation } from './organisation';

export const DEMO_PASSWORD = 'fieldnotes-demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  team: string | null;
}

export async function seedDemoOrganisation(org: Organisation): Promise<DemoAccount[]> {
  const safeguarding = org.addService('Safeguarding');
  const childrenInCare = org.addService('Children in Care');
  const teams: Record<string, string> = {
    'Safeguarding Team North': org.addTeam('Safeguarding Team North', safeguarding),
    'Safeguarding Team South': org.addTeam('Safeguarding Team South', safeguarding),
    'Children in Care Team': org.addTeam('Children in Care Team', childrenInCare),
  };
  const accounts: (DemoAccount & { serviceId?: string })[] = [
    { username: 'hos.patel', displayName: 'Priya Patel', role: 'head-of-service', team: null, serviceId: safeguarding },
    { username: 'tm.okafor', displayName: 'Grace Okafor', role: 'team-manager', team: 'Safeguarding Team North' },
    { username: 'tm.hughes', displayName: 'Owen Hughes', role: 'team-manager', team: 'Safeguarding Team South' },
    { username: 'tm.begum', displayName: 'Nasima Begum', role: 'team-manager', team: 'Children in Care Team' },
    { username: 'sw.ahmed', displayName: 'Yusuf Ahmed', role: 'practitioner', team: 'Safeguarding Team North' },
    { username: 'sw.brown', displayName: 'Chloe Brown', role: 'practitioner', team: 'Safeguarding Team North' },
    { username: 'sw.clarke', displayName: 'Daniel Clarke', role: 'practitioner', team: 'Safeguarding Team South' },
    { username: 'sw.evans', displayName: 'Megan Evans', role: 'practitioner', team: 'Safeguarding Team South' },
    { username: 'pa.davies', displayName: 'Rhys Davies', role: 'practitioner', team: 'Children in Care Team' },
    { username: 'sw.fraser', displayName: 'Isla Fraser', role: 'practitioner', team: 'Children in Care Team' },
    { username: 'qa.green', displayName: 'Sam Green', role: 'qa-officer', team: null },
  ];
  for (const account of accounts) {
    await org.addUser({
      username: account.username,
      displayName: account.displayName,
      role: account.role,
      password: DEMO_PASSWORD,
      ...(account.team ? { teamId: teams[account.team] } : {}),
      ...(account.serviceId ? { serviceId: account.serviceId } : {}),
    });
  }
  return accounts.map(({ username, displayName, role, team }) => ({ username, displayName, role, team }));
}
