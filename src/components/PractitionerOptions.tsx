/** The practitioners of the cached directory as a select's options, grouped by team. */
import type { CachedDirectory } from '../data/directory';

/** `currentId` stays choosable even if that person is no longer a practitioner (a record keeps its choice). */
export function PractitionerOptions({ directory, currentId, emptyChoice }: { directory: CachedDirectory; currentId: string; emptyChoice: string }) {
  const practitioners = directory.people.filter((p) => p.role === 'practitioner' || p.id === currentId);
  return (
    <>
      <option value="">{emptyChoice}</option>
      {directory.teams.map((team) => {
        const members = practitioners.filter((p) => p.teamId === team.id);
        return members.length === 0 ? null : (
          <optgroup key={team.id} label={team.name}>
            {members.map((p) => (
              <option key={p.id} value={p.id}>
                {p.displayName}
              </option>
            ))}
          </optgroup>
        );
      })}
    </>
  );
}
