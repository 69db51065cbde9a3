// The API key input of every form that changes something; all of them edit the one stored key.
import { useTranslation } from 'react-i18next';
import { useApiKey } from '../hooks';

export function ApiKeyField() {
  const [apiKey, setApiKey] = useApiKey();
  const { t } = useTranslation();
  return (
    <label>
      <span>{t('apiKey.label')}</span>
      <input
        type="password"
        value={apiKey}
        placeholder={t('apiKey.placeholder')}
        autoComplete="off"
        onChange={(e) => {
          setApiKey(e.target.value);
        }}
      />
    </label>
  );
}
