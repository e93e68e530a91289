/**
 * Offers a new version of Fieldnotes when the service worker has one waiting. Never forced: while a
 * form is open the offer waits, because reloading then could interrupt someone mid-sentence.
 */
import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { useRegisterSW } from 'virtual:pwa-register/react';
import { isFormPath } from '../lib/routes';

const HOURLY = 60 * 60 * 1000;

export function UpdatePrompt() {
  const { pathname } = useLocation();
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      if (registration) setInterval(() => void registration.update().catch(() => undefined), HOURLY);
    },
  });
  const formOpen = isFormPath(pathname);

  useEffect(() => {
    document.documentElement.dataset.updateWaiting = needRefresh ? 'true' : 'false';
  }, [needRefresh]);

  if (!needRefresh) return null;
  return (
    <div className="update-prompt" role="region" aria-label="New version">
      {formOpen ? (
        <p>A new version of Fieldnotes is ready. It will be offered when you leave this record — nothing you are writing is interrupted.</p>
      ) : (
        <>
          <p>A new version of Fieldnotes is ready.</p>
          <button type="button" className="button button--primary" onClick={() => void updateServiceWorker(true)}>
            Update now
          </button>
          <button type="button" className="button" onClick={() => setNeedRefresh(false)}>
            Later
          </button>
        </>
      )}
    </div>
  );
}
