/** A narrative field's text split by who wrote each part, shown under the field when asked for. */
import type { WrittenRun } from '../../data/docs/openRecord';

export function WhoWroteWhat({ runs }: { runs: WrittenRun[] }) {
  if (runs.length === 0) return null;
  return (
    <p className="who-wrote" data-testid="who-wrote">
      {runs.map((run, i) => (
        <span key={i} className="who-wrote-run">
          <span className="who-wrote-name">{run.by || 'Someone'}:</span> {run.text}
        </span>
      ))}
    </p>
  );
}
