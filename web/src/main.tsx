// Browser entry point: mounts the viewer page into index.html's #root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ErrorBoundary } from './error-boundary';
import './styles.css';

const root = document.getElementById('root');
if (!root) {
  throw new Error('index.html must contain an element with id "root"');
}
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <App />
    </ErrorBoundary>
  </StrictMode>,
);
