import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { watchUnhandledStorageErrors } from './data/storageHealth';
import './app/styles.css';

watchUnhandledStorageErrors();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
