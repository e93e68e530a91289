/**
 * Shown beside a field that two people set differently at the same time: who chose what and when,
 * which value the record keeps for now, and a button per choice to settle it.
 */
import { formatDateTime } from '../lib/format';

export interface ContestedChoice {
  value: string;
  /** The value as a person reads it (a label, a name, a date). */
  label: string;
  byName: string;
  at: string;
}

interface Props {
  fieldLabel: string;
  currentLabel: string;
  choices: ContestedChoice[];
  disabled?: boolean;
  onChoose(value: string): void;
}

export function ContestedNotice({ fieldLabel, currentLabel, choices, disabled, onChoose }: Props) {
  return (
    <div className="alert alert--warning contested" role="note" aria-label={`${fieldLabel} was changed by two people at once`}>
      <p>
        <strong>{fieldLabel}</strong> was changed by two people at the same time:
      </p>
      <ul>
        {choices.map((choice) => (
          <li key={`${choice.byName}-${choice.at}`}>
            {choice.byName} chose <strong>{choice.label || 'nothing'}</strong> at {formatDateTime(choice.at)}
          </li>
        ))}
      </ul>
      <p>
        The record shows <strong>{currentLabel || 'nothing'}</strong> for now. Agree which is right and choose it:
      </p>
      <div className="contested-actions">
        {[...new Map(choices.map((c) => [c.value, c])).values()].map((choice) => (
          <button key={choice.value} type="button" className="button" disabled={disabled} onClick={() => onChoose(choice.value)}>
            Keep {choice.label || 'nothing'}
          </button>
        ))}
      </div>
    </div>
  );
}
