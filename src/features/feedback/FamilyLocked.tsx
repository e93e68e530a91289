/**
 * The locked screen of family mode: after the family says they have finished, after a while with nobody
 * touching the tablet, or when the app is reopened. Only the worker's PIN (or their password) opens it,
 * and it opens onto the feedback, never the record list.
 */
import { useState, type FormEvent } from 'react';
import { TextField } from '../../components/fields';
import { FocusedHeading } from '../../components/FocusedHeading';
import { useSessionContext } from '../../data/sessionContext';
import { leaveFamilyModeWithPassword, leaveFamilyModeWithPin, pinUsable, type FamilyMode } from '../../data/familyMode';

export function FamilyLocked({ familyMode }: { familyMode: FamilyMode }) {
  const canUsePin = pinUsable(familyMode);
  const [usePassword, setUsePassword] = useState(!canUsePin);
  const [secret, setSecret] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const withPassword = usePassword || !canUsePin;
  const { startSession } = useSessionContext();

  const unlock = async (event: FormEvent) => {
    event.preventDefault();
    if (!secret) return setProblem(withPassword ? 'Enter your password.' : 'Enter your PIN.');
    setChecking(true);
    const result = withPassword ? await leaveFamilyModeWithPassword(secret) : await leaveFamilyModeWithPin(secret);
    setChecking(false);
    // Unlocked: family mode has ended, and the app opens the feedback for the worker.
    if (result.unlocked && result.signedIn) startSession(result.signedIn);
    if (!result.unlocked) {
      setProblem(result.problem);
      setSecret('');
    }
  };

  return (
    <main id="main" className="page family-mode family-locked">
      {familyMode.lockedBecause === 'finished' ? (
        <>
          <FocusedHeading>Thank you</FocusedHeading>
          <p className="family-intro">Thank you for telling us what you think. Please give the tablet back now.</p>
        </>
      ) : (
        <>
          <FocusedHeading>This tablet is locked</FocusedHeading>
          <p className="family-intro">What was written is saved. Please give the tablet back.</p>
        </>
      )}
      <form onSubmit={unlock} noValidate aria-label="Unlock the tablet" className="unlock-form">
        <h2>For the worker</h2>
        <TextField
          key={withPassword ? 'password' : 'pin'}
          label={withPassword ? 'Your Fieldnotes password' : 'Your PIN'}
          type="password"
          inputMode={withPassword ? 'text' : 'numeric'}
          autoComplete={withPassword ? 'current-password' : 'off'}
          value={secret}
          onChange={(event) => {
            setSecret(event.target.value);
            setProblem(null);
          }}
          error={problem ?? undefined}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={checking}>
            Unlock
          </button>
          {canUsePin && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setUsePassword(!usePassword);
                setSecret('');
                setProblem(null);
              }}
            >
              {usePassword ? 'Use my PIN instead' : 'Use my password instead'}
            </button>
          )}
        </div>
      </form>
    </main>
  );
}
