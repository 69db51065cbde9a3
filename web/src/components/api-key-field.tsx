// The API key input of every form that changes something; all of them edit the one stored key.
import { useApiKey } from '../hooks';

export function ApiKeyField() {
  const [apiKey, setApiKey] = useApiKey();
  return (
    <label>
      <span>API key</span>
      <input
        type="password"
        value={apiKey}
        placeholder="if the server needs one"
        autoComplete="off"
        onChange={(e) => {
          setApiKey(e.target.value);
        }}
      />
    </label>
  );
}
