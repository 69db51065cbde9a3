// Browser entry point: mounts the app into index.html's #root, with the react-query client every page reads through.
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { ErrorBoundary } from './components/error-boundary';
import './i18n';
import { createQueryClient } from './lib';
import './styles/base.css';
import './styles/mlops.css';
import './styles/flows.css';
import './styles/forecast.css';
import './styles/pages.css';
import './styles/live.css';

const root = document.getElementById('root');
if (!root) {
  throw new Error('index.html must contain an element with id "root"');
}
const queryClient = createQueryClient();
createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </ErrorBoundary>
  </StrictMode>,
);
