/**
 * While the tablet is in family mode, the app is the family's form and nothing else: every URL (back
 * button, typed address, reload, reopening the app, another tab) shows the family mode screen at
 * /family. When the worker unlocks it, the app opens that feedback for them.
 */
import { lazy, Suspense, useEffect, useRef, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useFamilyMode } from '../data/familyMode';
import { paths } from '../lib/routes';

const FamilyModeScreen = lazy(() => import('../features/feedback/FamilyModeScreen').then((m) => ({ default: m.FamilyModeScreen })));

export function FamilyModeGate({ children }: { children: ReactNode }) {
  const familyMode = useFamilyMode();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const lastRecord = useRef<string | null>(null);
  if (familyMode?.recordId) lastRecord.current = familyMode.recordId;

  useEffect(() => {
    if (familyMode && pathname !== paths.familyMode) navigate(paths.familyMode, { replace: true });
    else if (!familyMode && pathname === paths.familyMode)
      navigate(lastRecord.current ? paths.record('feedback', lastRecord.current) : paths.home, { replace: true });
  }, [familyMode, pathname, navigate]);

  if (familyMode)
    return (
      // Nothing of the app behind it shows while the screen's code loads (it is precached for offline use).
      <Suspense fallback={<main id="main" className="page family-mode" aria-busy="true" />}>
        <FamilyModeScreen familyMode={familyMode} />
      </Suspense>
    );
  return children;
}
