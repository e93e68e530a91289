/**
 * The follow-up rules (domain/followUp.ts), as the server applies them: written as data so the QA team
 * can read exactly what happens after a finding, without reading code. The same list the server uses,
 * built into the app, so it opens offline too.
 */
import { Link } from 'react-router';
import { OVERDUE_REMINDER_DAYS } from '../../../domain/actions';
import { followUpRules } from '../../../domain/followUp';
import { paths } from '../../lib/routes';

const ownerLabels = { 'team-manager': 'The practitioner’s team manager', 'service-manager': 'The service manager', 'lead-reviewer': 'The lead reviewer' } as const;

export function FollowUpRulesPage() {
  return (
    <main id="main" className="page">
      <p>
        <Link to={paths.actions}>Back to actions</Link>
      </p>
      <h1>Follow-up rules</h1>
      <p>What Fieldnotes does after a finding, without anyone having to remember. Follow-ups are listed with actions, shown on the record that caused them, and chased like actions when overdue.</p>
      <table className="rules-table">
        <caption className="visually-hidden">Follow-up rules</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Then</th>
            <th scope="col">Given to</th>
            <th scope="col">Due</th>
          </tr>
        </thead>
        <tbody>
          {followUpRules.map((rule) => (
            <tr key={rule.id}>
              <td>{rule.when}</td>
              <td>{rule.then}</td>
              <td>{rule.owner ? ownerLabels[rule.owner] : 'Nobody: a notice only'}</td>
              <td>{rule.dueInDays ? `${rule.dueInDays} days after` : '—'}</td>
            </tr>
          ))}
          <tr>
            <td>An action or follow-up is still open on its due date.</td>
            <td>
              Its owner is told on the day; the day after, the owner and their manager are told it is overdue; {OVERDUE_REMINDER_DAYS} days later they are
              reminded once more.
            </td>
            <td>—</td>
            <td>—</td>
          </tr>
        </tbody>
      </table>
    </main>
  );
}
