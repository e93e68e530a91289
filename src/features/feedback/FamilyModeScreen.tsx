/**
 * What a tablet in family mode shows, whatever its URL: the one feedback form, in plain words, or the
 * locked screen. Nothing here names anyone or links anywhere. It locks itself after a while with nobody
 * touching it, and when it is reopened after that long.
 */
import { useEffect } from 'react';
import { FAMILY_IDLE_MS, isIdle, lockFamilyMode, noteFamilyActivity, readFamilyMode, type FamilyMode } from '../../data/familyMode';
import { useRecord } from '../../data/docs/useRecord';
import { useSessionContext } from '../../data/sessionContext';
import { FamilyFeedbackForm } from './FamilyFeedbackForm';
import { FamilyLocked } from './FamilyLocked';

export function FamilyModeScreen({ familyMode }: { familyMode: FamilyMode }) {
  const session = useSessionContext().session;
  // The form opens only for the worker who handed the tablet over; anything else shows the locked screen.
  const forThisWorker = session !== null && session.user.id === familyMode.userId && familyMode.recordId !== '';
  if (familyMode.locked || !forThisWorker) return <FamilyLocked familyMode={familyMode} />;
  return <UnlockedFamilyForm userId={familyMode.userId} recordId={familyMode.recordId} />;
}

function UnlockedFamilyForm({ userId, recordId }: { userId: string; recordId: string }) {
  useIdleLock();
  const record = useRecord(userId, 'feedback', recordId);
  if (record.state === 'ready') return <FamilyFeedbackForm handle={record.handle} />;
  return (
    <main id="main" className="page family-mode">
      <p role="status">{record.state === 'missing' ? 'This form is not on this tablet. Please give the tablet back.' : 'Opening the form…'}</p>
    </main>
  );
}

const activityEvents = ['pointerdown', 'keydown', 'input', 'touchstart', 'wheel'] as const;

/** Locks family mode after FAMILY_IDLE_MS with no touch, key or typing; at once if it has been that long already. */
function useIdleLock() {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Lock if it has been idle long enough; otherwise look again when it would have been.
    const lockIfIdle = () => {
      clearTimeout(timer);
      const state = readFamilyMode();
      if (!state || state.locked) return;
      if (isIdle(state)) return lockFamilyMode('idle');
      timer = setTimeout(lockIfIdle, FAMILY_IDLE_MS - (Date.now() - state.lastActivityAt) + 50);
    };
    const onActivity = () => {
      noteFamilyActivity();
      clearTimeout(timer);
      // Activity is written down every few seconds, not on every touch: time the lock from this touch.
      const touchedAt = Date.now();
      timer = setTimeout(() => (Date.now() - touchedAt >= FAMILY_IDLE_MS ? lockFamilyMode('idle') : lockIfIdle()), FAMILY_IDLE_MS + 50);
    };
    // A tablet that slept keeps its timers paused: check as soon as it is looked at again.
    const onVisible = () => document.visibilityState === 'visible' && lockIfIdle();
    lockIfIdle();
    for (const event of activityEvents) document.addEventListener(event, onActivity, { capture: true, passive: true });
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearTimeout(timer);
      for (const event of activityEvents) document.removeEventListener(event, onActivity, { capture: true });
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, []);
}
