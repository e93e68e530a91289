import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { InsecureContextPage } from './app/InsecureContextPage';
import { watchUnhandledStorageErrors } from './data/storageHealth';
import './app/styles.css';

const root = createRoot(document.getElementById('root')!);
// Nothing is written until the context is secure: the app (its database, service worker and sync) starts only then.
if (window.isSecureContext) {
  watchUnhandledStorageErrors();
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} else {
  root.render(
    <StrictMode>
      <InsecureContextPage location={window.location} />
    </StrictMode>,
  );
}
