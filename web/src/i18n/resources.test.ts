// The two languages cannot drift: every key in one is in the other, every key the source asks for exists, plurals follow each language's rules.
import { FLOW_RUN_STATES, HORIZONS, MODEL_KINDS } from '@stockops/api';
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { i18n } from './i18n';
import { zhTW } from './zh-tw';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every leaf as a dotted path, plural forms folded into their base key. */
function leaves(tree: unknown, prefix = ''): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix === '' ? k : `${prefix}.${k}`;
    if (typeof v === 'object' && v !== null) {
      for (const [p, forms] of leaves(v, path)) {
        out.set(p, forms);
      }
    } else {
      const base = path.replace(PLURAL, '');
      const forms = out.get(base) ?? new Set<string>();
      forms.add(PLURAL.exec(path)?.[1] ?? '');
      out.set(base, forms);
    }
  }
  return out;
}

/** Every source file of the UI as text (Vite's glob, so the test needs no Node file access). */
const SOURCES = import.meta.glob<string>(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('the UI resources', () => {
  const enKeys = leaves(en);
  const zhKeys = leaves(zhTW);

  it('have the same keys in English and Traditional Chinese', () => {
    expect([...zhKeys.keys()].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys.keys()].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it('give each plural the forms its language has: one and other in English, other in Chinese', () => {
    for (const [key, forms] of enKeys) {
      const zh = zhKeys.get(key);
      if (forms.has('')) {
        expect(zh, key).toEqual(new Set(['']));
      } else {
        expect([...forms].sort(), key).toEqual(['one', 'other']);
        expect(zh, key).toEqual(new Set(['other']));
      }
    }
  });

  it('have an entry for every key the source asks for by name', () => {
    const missing: string[] = [];
    expect(Object.keys(SOURCES).length).toBeGreaterThan(20);
    for (const [file, text] of Object.entries(SOURCES)) {
      for (const m of text.matchAll(/\b(?:t|tr|i18n\.t)\(\s*'([a-zA-Z0-9_.-]+)'/g)) {
        const key = m[1] ?? '';
        if (!enKeys.has(key)) {
          missing.push(`${key} (${file})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('name every flow-run state, model kind, ETL step and flow the UI looks up by value', () => {
    const families: [string, readonly (string | number)[]][] = [
      ['states', FLOW_RUN_STATES],
      ['models.kinds', MODEL_KINDS],
      ['datasets.steps', ['extract', 'validate', 'load_raw', 'clean', 'quality', 'snapshot']],
      ['flows.names', ['etl', 'train', 'evaluate', 'retrain-all', 'bootstrap']],
      ['datasets.sourceErrors', ['not_found', 'rate_limited', 'unavailable', 'schema']],
    ];
    for (const [family, values] of families) {
      for (const v of values) {
        expect(enKeys.has(`${family}.${v}`), `${family}.${v}`).toBe(true);
      }
    }
    expect(HORIZONS.length).toBeGreaterThan(0);
  });

  it('pluralise with each language rules and interpolate values', async () => {
    expect(i18n.t('models.versionCount', { lng: 'en', count: 1 })).toBe('1 version');
    expect(i18n.t('models.versionCount', { lng: 'en', count: 2 })).toBe('2 versions');
    expect(i18n.t('models.versionCount', { lng: 'zh-TW', count: 1 })).toBe('1 個版本');
    await i18n.changeLanguage('zh-TW');
    expect(i18n.t('units.tradingDays', { count: 5, value: '5' })).toBe('5 個交易日');
    await i18n.changeLanguage('en');
  });
});
