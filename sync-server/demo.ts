/**
 * The demo organisation a fresh server starts with, created through the administrator's own functions:
 * a director, an assistant director, two heads of service, three teams with their managers and
 * practitioners, a principal social worker, a QA officer, an IRO and an administrator, with the line
 * management between them. Everyone shares one password so that a newcomer can try each role; the
 * start-up banner prints it.
 */
import type { Role } from '../domain/directory';
import { dateInEngland } from '../domain/actions';
import { addDaysTo, monthsOf, periodContaining } from '../domain/periods';
import { hashPassword } from './passwords';
import type { Organisation } from './organisation';
import type { Programme } from './programme';

export const DEMO_PASSWORD = 'fieldnotes-demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  team: string | null;
}

interface DemoPerson extends DemoAccount {
  /** The username of their line manager; team members default to their team's manager. */
  manager?: string;
  service?: string;
  /** This person manages their team. */
  managesTeam?: boolean;
}

const TEAMS = {
  'Safeguarding Team North': 'Safeguarding',
  'Safeguarding Team South': 'Safeguarding',
  'Children in Care Team': 'Children in Care',
} as const;

// In order: everyone's line manager comes before them.
const PEOPLE: DemoPerson[] = [
  { username: 'dcs.morgan', displayName: 'Helen Morgan', role: 'director', team: null },
  { username: 'ad.wright', displayName: 'Tom Wright', role: 'assistant-director', team: null, manager: 'dcs.morgan' },
  { username: 'hos.patel', displayName: 'Priya Patel', role: 'head-of-service', team: null, service: 'Safeguarding', manager: 'ad.wright' },
  { username: 'hos.lewis', displayName: 'Gareth Lewis', role: 'head-of-service', team: null, service: 'Children in Care', manager: 'ad.wright' },
  { username: 'tm.okafor', displayName: 'Grace Okafor', role: 'team-manager', team: 'Safeguarding Team North', manager: 'hos.patel', managesTeam: true },
  { username: 'tm.hughes', displayName: 'Owen Hughes', role: 'team-manager', team: 'Safeguarding Team South', manager: 'hos.patel', managesTeam: true },
  { username: 'tm.begum', displayName: 'Nasima Begum', role: 'team-manager', team: 'Children in Care Team', manager: 'hos.lewis', managesTeam: true },
  { username: 'sw.ahmed', displayName: 'Yusuf Ahmed', role: 'practitioner', team: 'Safeguarding Team North' },
  { username: 'sw.brown', displayName: 'Chloe Brown', role: 'practitioner', team: 'Safeguarding Team North' },
  { username: 'sw.clarke', displayName: 'Daniel Clarke', role: 'practitioner', team: 'Safeguarding Team South' },
  { username: 'sw.evans', displayName: 'Megan Evans', role: 'practitioner', team: 'Safeguarding Team South' },
  { username: 'pa.davies', displayName: 'Rhys Davies', role: 'practitioner', team: 'Children in Care Team' },
  { username: 'sw.fraser', displayName: 'Isla Fraser', role: 'practitioner', team: 'Children in Care Team' },
  { username: 'psw.khan', displayName: 'Amira Khan', role: 'principal-social-worker', team: null, manager: 'dcs.morgan' },
  { username: 'qa.green', displayName: 'Sam Green', role: 'qa-officer', team: null },
  { username: 'iro.walsh', displayName: 'Fiona Walsh', role: 'iro', team: null },
  { username: 'admin.jones', displayName: 'Alex Jones', role: 'admin', team: null },
];

export async function seedDemoOrganisation(org: Organisation): Promise<DemoAccount[]> {
  // A made-up council: its name is on every PDF a demo user makes.
  org.setSettings({ name: 'Fieldnotes Demo Borough Council' });
  const services = new Map<string, string>();
  for (const name of new Set(Object.values(TEAMS))) services.set(name, org.addService(name));
  const teams = new Map<string, string>();
  for (const [team, service] of Object.entries(TEAMS)) teams.set(team, org.addTeam(team, services.get(service)!));

  const ids = new Map<string, string>();
  const demoPasswordHash = await hashPassword(DEMO_PASSWORD);
  for (const person of PEOPLE) {
    const teamId = person.team ? teams.get(person.team) : undefined;
    const id = await org.addUser({
      username: person.username,
      displayName: person.displayName,
      role: person.role,
      password: DEMO_PASSWORD,
      // example.org is reserved for examples: nothing sent there reaches anyone.
      email: `${person.username}@example.org`,
      ...(teamId ? { teamId } : {}),
      ...(person.service ? { serviceId: services.get(person.service)! } : {}),
      ...(person.manager ? { managerId: ids.get(person.manager)! } : {}),
    }, demoPasswordHash);
    ids.set(person.username, id);
    if (person.managesTeam && teamId) org.setTeamManager(teamId, id);
  }
  return PEOPLE.map(({ username, displayName, role, team }) => ({ username, displayName, role, team }));
}

/**
 * The demo organisation's programme: the seeds' expectations (Programme seeds them for every organisation)
 * and this quarter's schedule, in the shape of St Helens Appendices 7–8.
 */
export function seedDemoProgramme(programme: Programme, org: Organisation, today: Date): void {
  const quarter = periodContaining('quarter', dateInEngland(today));
  // Everyone has been in post since the financial year before last began, so this year's expectations apply in full.
  programme.markInPostSince(addDaysTo(periodContaining('year', dateInEngland(today)).start, -365));
  const [first, second, third] = monthsOf(quarter).map((m) => m.id) as [string, string, string];
  const monday = (month: string, week: number) => {
    const first = new Date(`${month}-01T12:00:00Z`);
    const offset = (8 - first.getUTCDay()) % 7;
    return addDaysTo(`${month}-01`, offset + 7 * week);
  };
  const qa = org.accounts().find((a) => a.username === 'qa.green')?.id;
  programme.seedSchedule(quarter.id, [
    { month: first, activity: 'Dip sampling', kind: 'review', roles: ['head-of-service', 'team-manager'], people: [], weekBeginning: monday(first, 1), theme: 'Networks and contingency planning' },
    { month: first, activity: 'Supervision audit', kind: '', roles: ['assistant-director', 'head-of-service', 'team-manager', 'principal-social-worker'], people: [], weekBeginning: monday(first, 2), theme: 'Timetabled by heads of service and team managers; report at the end of the quarter' },
    { month: second, activity: 'Thematic audit', kind: 'review', roles: ['team-manager'], people: qa ? [qa] : [], weekBeginning: monday(second, 1), theme: 'Quality of visits and the voice of the child' },
    { month: second, activity: 'Observations of practice', kind: 'observation', roles: ['assistant-director', 'director'], people: [], weekBeginning: monday(second, 2), theme: 'Home visits' },
    { month: third, activity: 'Collaborative case reviews (including observation)', kind: 'review', roles: ['head-of-service', 'principal-social-worker'], people: qa ? [qa] : [], weekBeginning: monday(third, 0), theme: 'Children whose earlier reviews were graded Requires Improvement or Inadequate' },
    { month: third, activity: 'Quarterly report of QA activity', kind: '', roles: ['head-of-service', 'assistant-director'], people: [], weekBeginning: monday(third, 2), theme: 'What’s working well, what are we worried about, action needed' },
  ]);
}
