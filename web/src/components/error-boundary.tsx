// Last-resort boundary: a rendering bug shows a message in the error banner instead of a blank page.
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { i18n } from '../i18n';

interface State {
  error: Error | undefined;
}

export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('stockops UI crashed', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) {
      return this.props.children;
    }
    return (
      <div className="app">
        <div className="error-banner" role="alert" data-testid="error">
          <p className="error-line">
            <strong>{i18n.t('boundary.failed')}</strong> {error.message}{' '}
            <code className="error-code">UI_ERROR</code>
          </p>
          <p className="error-line">{i18n.t('boundary.reload')}</p>
        </div>
      </div>
    );
  }
}
