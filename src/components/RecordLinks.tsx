/** Records named by their document names (`observation/<id>`), each a link to it: the records behind a figure. */
import { Link } from 'react-router';
import { parseRecordDocName, recordKindLabels } from '../../domain/records';
import { paths } from '../lib/routes';

export function RecordLinks({ names }: { names: readonly string[] }) {
  return (
    <ul>
      {[...new Set(names)].map((name) => {
        const parsed = parseRecordDocName(name);
        return parsed ? (
          <li key={name}>
            <Link to={paths.record(parsed.kind, parsed.id)}>
              {recordKindLabels[parsed.kind]} {parsed.id.slice(0, 8)}
            </Link>
          </li>
        ) : null;
      })}
    </ul>
  );
}
