// Visible list of API and client errors, so a failure is never a blank page.
import { describeError } from '../lib';

export interface BannerMessage {
  /** Where it came from, e.g. "Forecast"; tells the viewer which part of the page is affected. */
  source: string;
  code: string;
  message: string;
}

/** The failed ones among a page's queries, each named for the part of the page it feeds. */
export function queryErrors(
  sources: readonly (readonly [source: string, query: { error: unknown }])[],
): BannerMessage[] {
  return sources.flatMap(([source, q]) =>
    q.error === null || q.error === undefined ? [] : [{ source, ...describeError(q.error) }],
  );
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
