/**
 * What a record started from an assignment is filled in with: the child, the practitioner (with their team
 * and team manager, as choosing them on the form would), the level of need, and today's date.
 */
import type { Assignment } from '../../../domain/assignments';
import type { Person, Team } from '../../../domain/directory';
import { levelsOfNeed } from '../../../domain/options';

export function prefillFor(assignment: Assignment, people: Person[], teams: Team[], today: string): Record<string, string> {
  const practitioner = people.find((p) => p.id === assignment.practitionerId);
  const team = teams.find((t) => t.id === (practitioner?.teamId || assignment.teamId));
  const manager = people.find((p) => p.id === team?.managerId);
  const level: Record<string, string> = levelsOfNeed.some((l) => l.value === assignment.levelOfNeed) ? { levelOfNeed: assignment.levelOfNeed } : {};
  const who: { name: string; id: string } | null = practitioner ? { name: practitioner.displayName, id: practitioner.id } : null;
  switch (assignment.kind) {
    case 'review':
      return {
        childId: assignment.childId,
        childName: assignment.childName,
        reviewDate: today,
        ...level,
        ...(who ? { socialWorkerId: who.id, socialWorkerName: who.name, teamId: team?.id ?? '', teamManagerName: manager?.displayName ?? '' } : {}),
      };
    case 'observation':
      return { childId: assignment.childId, dateOfObservation: today, ...level, ...(who ? { practitionerId: who.id, practitionerName: who.name, teamId: team?.id ?? '' } : {}) };
    case 'feedback':
      return { childId: assignment.childId, date: today };
  }
}
