// Visible list of API and client errors, so a failure is never a blank page.

export interface BannerMessage {
  /** Where it came from, e.g. "Forecast"; tells the viewer which part of the page is affected. */
  source: string;
  code: string;
  message: string;
}

export function ErrorBanner({ messages }: { messages: readonly BannerMessage[] }) {
  if (messages.length === 0) {
    return null;
  }
  return (
    <div className="error-banner" role="alert" data-testid="error">
      {messages.map((m) => (
        <p key={`${m.source}:${m.code}:${m.message}`} className="error-line">
          <strong>{m.source}:</strong> {m.message} <code className="error-code">{m.code}</code>
        </p>
      ))}
    </div>
  );
}
