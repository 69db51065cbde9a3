// Which language the UI opens in: the browser's, with any Chinese read as Traditional Chinese.
import { describe, expect, it } from 'vitest';
import { languageFor } from './i18n';

describe('languageFor', () => {
  it("takes the first of the browser's languages the UI has", () => {
    expect(languageFor(['zh-TW', 'en-US'])).toBe('zh-TW');
    expect(languageFor(['zh-Hant-TW'])).toBe('zh-TW');
    expect(languageFor(['fr-FR', 'en-GB'])).toBe('en');
    expect(languageFor(['de'])).toBe('en');
    expect(languageFor([])).toBe('en');
  });
});
