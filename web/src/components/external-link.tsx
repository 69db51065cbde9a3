// A link out of the app (the MLflow UI), opened in a new tab; nothing when there is no address.
import type { ReactNode } from 'react';

export function ExternalLink({
  href,
  children,
}: {
  href: string | undefined;
  children: ReactNode;
}) {
  if (!href) {
    return null;
  }
  return (
    <a className="ext-link" href={href} target="_blank" rel="noreferrer">
      {children} ↗
    </a>
  );
}
