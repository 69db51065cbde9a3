// The language switch of the header: English or Traditional Chinese, remembered for the next visit.
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, type Language } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="ticker-picker lang-switch">
      <span className="ticker-label">{t('language.label')}</span>
      <select
        data-testid="language"
        value={i18n.language}
        onChange={(e) => {
          setLanguage(e.target.value as Language);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
