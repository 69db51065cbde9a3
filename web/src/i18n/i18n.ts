// The UI's languages: i18next with English and Traditional Chinese, the choice remembered, the browser's language by default, <html lang> kept in step.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhTW } from './zh-tw';

export const LANGUAGES = ['en', 'zh-TW'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'stockops.language';

/** Any Chinese the browser prefers gets Traditional Chinese (the only Chinese there is); else English. */
export function languageFor(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) {
      return 'zh-TW';
    }
    if (lower.startsWith('en')) {
      return 'en';
    }
  }
  return 'en';
}

function stored(): Language | undefined {
  try {
    const v = globalThis.localStorage.getItem(STORAGE_KEY);
    return (LANGUAGES as readonly string[]).includes(v ?? '') ? (v as Language) : undefined;
  } catch {
    return undefined;
  }
}

function initial(): Language {
  // `?lang=` lets a link (and the screenshot script) open a page in a given language.
  const fromUrl =
    typeof window === 'undefined' ? null : new URLSearchParams(window.location.search).get('lang');
  if (fromUrl !== null && (LANGUAGES as readonly string[]).includes(fromUrl)) {
    return fromUrl as Language;
  }
  return (
    stored() ??
    languageFor(
      typeof navigator === 'undefined' ? [] : [...navigator.languages, navigator.language],
    )
  );
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-TW': { translation: zhTW } },
  lng: initial(),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  initAsync: false,
  returnNull: false,
});

function applyLang(lng: string): void {
  if (typeof document !== 'undefined') {
    document.documentElement.lang = lng;
  }
}

applyLang(i18n.language);
i18n.on('languageChanged', applyLang);

/** Switches the UI's language and remembers it for the next visit. */
export function setLanguage(lng: Language): void {
  try {
    globalThis.localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Private windows may refuse storage: the choice then lasts for this page only.
  }
  void i18n.changeLanguage(lng);
}

/** The language in use, as an Intl locale. */
export const currentLocale = (): Language =>
  (LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : 'en';
