/**
 * Who else has this record open right now, and which field each of them is in — so people writing one
 * review together, apart or round a table, do not type over each other without knowing.
 */
import type { PresenceState } from '../data/sync/syncManager';

export function PresenceBar({ others, labelOf }: { others: PresenceState[]; labelOf: (field: string) => string }) {
  // One line per person, even if they have the record open on two devices.
  const people = [...new Map(others.map((o) => [o.userId, o])).values()];
  return (
    <div className="presence" role="status" aria-live="polite" data-testid="presence">
      {people.length === 0 ? (
        <span>Nobody else has this open right now.</span>
      ) : (
        <>
          <span>Here now: </span>
          <ul>
            {people.map((person) => (
              <li key={person.userId}>
                <strong>{person.name}</strong>
                {person.field ? ` — in ${labelOf(person.field)}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
