// Form fields generated from a flow's parameter schemas (GET /api/flows): a select for a choice, a checkbox for a flag, a list for an array.
import type { FlowParameterView } from '@stockops/api';
import { useTranslation } from 'react-i18next';

/** What a field holds while the user edits it. */
export type FieldValue = string | boolean | string[];

type ValueSchema = NonNullable<FlowParameterView['anyOf']>[number];

/** The literals of a choice (`anyOf` of `const`), or undefined when the value is free. */
export function choicesOf(s: { anyOf?: ValueSchema[] | undefined }): unknown[] | undefined {
  return s.anyOf?.every((a) => a.const !== undefined) ? s.anyOf.map((a) => a.const) : undefined;
}

/** A field's starting value: the parameter's default, or empty. */
export function initialValue(p: FlowParameterView): FieldValue {
  if (p.type === 'boolean') {
    return p.default === true;
  }
  if (p.type === 'array') {
    const d = Array.isArray(p.default) ? (p.default as unknown[]).map(String) : [];
    return choicesOf(p.items ?? {}) ? d : d.join(', ');
  }
  return typeof p.default === 'string' || typeof p.default === 'number' ? String(p.default) : '';
}

/**
 * The parameters to send: values converted to the schema's types (numbers, lists), empty optional
 * fields left out so the server applies its defaults.
 */
export function toParameters(
  params: Record<string, FlowParameterView>,
  values: Record<string, FieldValue>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(params)) {
    const v = values[key];
    if (v === undefined) {
      continue;
    }
    const choices = choicesOf(p) ?? choicesOf(p.items ?? {});
    const typed = (raw: string): unknown => {
      const listed = choices?.find((c) => String(c) === raw);
      if (listed !== undefined) {
        return listed;
      }
      return p.type === 'integer' || p.type === 'number' || p.items?.type === 'number'
        ? Number(raw)
        : raw;
    };
    if (typeof v === 'boolean') {
      if (v !== (p.default === true)) {
        out[key] = v;
      }
    } else if (Array.isArray(v)) {
      if (v.length > 0) {
        out[key] = v.map(typed);
      }
    } else if (p.type === 'array') {
      const items = v
        .split(/[\s,]+/)
        .map((x) => x.trim())
        .filter((x) => x !== '');
      if (items.length > 0) {
        out[key] = items.map(typed);
      }
    } else if (v.trim() !== '') {
      out[key] = typed(v.trim());
    }
  }
  return out;
}

export function ParameterFields({
  idPrefix,
  params,
  required,
  values,
  onChange,
  tickers,
  recipes = [],
}: {
  idPrefix: string;
  params: Record<string, FlowParameterView>;
  required: readonly string[];
  values: Record<string, FieldValue>;
  onChange: (key: string, value: FieldValue) => void;
  /** Offered as suggestions in ticker fields. */
  tickers: readonly string[];
  /** Offered as suggestions in the recipe field (id@version). */
  recipes?: readonly string[];
}) {
  const { t } = useTranslation();
  const label = (key: string) => t(`flows.params.${key}`, { defaultValue: key });
  const help = (key: string, p: FlowParameterView) =>
    t(`flows.paramHelp.${key}`, { defaultValue: p.description });
  const valueLabel = (key: string, v: unknown) =>
    key === 'horizon' || key === 'horizons'
      ? t('common.horizonShort', { h: String(v) })
      : key === 'model' || key === 'models'
        ? t(`models.kinds.${String(v)}`, { defaultValue: String(v) })
        : t(`flows.values.${String(v)}`, { defaultValue: String(v) });
  return (
    <>
      <datalist id={`${idPrefix}-tickers`}>
        {tickers.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <datalist id={`${idPrefix}-recipes`}>
        {recipes.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      {Object.entries(params).map(([key, p]) => {
        const id = `${idPrefix}-${key}`;
        const v = values[key] ?? initialValue(p);
        const isRequired = required.includes(key);
        const choices = choicesOf(p);
        const itemChoices = choicesOf(p.items ?? {});
        const hint = <span className="field-help">{help(key, p)}</span>;
        if (typeof v === 'boolean') {
          return (
            <label key={key} className="check-field" htmlFor={id}>
              <input
                id={id}
                type="checkbox"
                checked={v}
                onChange={(e) => {
                  onChange(key, e.target.checked);
                }}
              />
              <span>{label(key)}</span>
              {hint}
            </label>
          );
        }
        if (Array.isArray(v) && itemChoices) {
          return (
            <fieldset key={key} className="choice-field">
              <legend>{label(key)}</legend>
              {itemChoices.map((c) => {
                const s = String(c);
                return (
                  <label key={s} className="inline-check">
                    <input
                      type="checkbox"
                      checked={v.includes(s)}
                      onChange={(e) => {
                        onChange(key, e.target.checked ? [...v, s] : v.filter((x) => x !== s));
                      }}
                    />
                    {valueLabel(key, c)}
                  </label>
                );
              })}
              {hint}
            </fieldset>
          );
        }
        if (choices) {
          return (
            <label key={key} htmlFor={id}>
              <span>{label(key)}</span>
              <select
                id={id}
                value={v}
                onChange={(e) => {
                  onChange(key, e.target.value);
                }}
              >
                {!isRequired && p.default === undefined && (
                  <option value="">{t('flows.notSet')}</option>
                )}
                {choices.map((c) => (
                  <option key={String(c)} value={String(c)}>
                    {valueLabel(key, c)}
                  </option>
                ))}
              </select>
              {hint}
            </label>
          );
        }
        const isTicker = key === 'ticker' || key === 'tickers';
        return (
          <label key={key} htmlFor={id} className={p.type === 'array' ? 'grow' : undefined}>
            <span>
              {label(key)}
              {isRequired && <span className="required"> *</span>}
            </span>
            <input
              id={id}
              value={v}
              required={isRequired}
              inputMode={p.type === 'integer' || p.type === 'number' ? 'numeric' : undefined}
              {...(isTicker ? { list: `${idPrefix}-tickers`, autoCapitalize: 'characters' } : {})}
              {...(key === 'recipe' ? { list: `${idPrefix}-recipes` } : {})}
              placeholder={p.type === 'array' ? t('flows.listPlaceholder') : undefined}
              onChange={(e) => {
                onChange(key, e.target.value);
              }}
            />
            {hint}
          </label>
        );
      })}
    </>
  );
}
