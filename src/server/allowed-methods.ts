// The methods each known path answers to, from the contract's endpoint table: a known path asked with another method is a 405 with Allow.
import { endpoints } from '../api/index.js';

const PARAM = /:[A-Za-z_]+/g;

/** One matcher per contract path; a path parameter matches one non-empty segment, as Fastify's router does. */
const routes = (() => {
  const byPath = new Map<string, Set<string>>();
  for (const e of Object.values(endpoints)) {
    const methods = byPath.get(e.url) ?? new Set<string>();
    methods.add(e.method);
    byPath.set(e.url, methods);
  }
  return [...byPath].map(([url, methods]) => ({
    re: new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(PARAM, '[^/]+')}/?$`),
    methods: [...methods].sort(),
  }));
})();

/** The methods the API answers at `path` (without its query), or an empty list when the path is not the API's. */
export function allowedMethods(path: string): string[] {
  const out = new Set<string>();
  for (const r of routes) {
    if (r.re.test(path)) {
      for (const m of r.methods) {
        out.add(m);
      }
    }
  }
  return [...out].sort();
}
