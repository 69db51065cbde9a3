// Model recipes: the list, a form that checks itself against the contract's schema as the user types and explains every field, and runs for tickers.
import {
  FEATURE_SET_KEYS,
  HORIZONS,
  MODEL_KINDS,
  RecipeCreateSchema,
  type HorizonValue,
  type ModelKindValue,
  type RecipeCreate,
  type RecipeView,
} from '@stockops/api';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import { useQueries, useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ApiKeyField,
  AppLink,
  ErrorBanner,
  PageShell,
  queryErrors,
  StateBadge,
} from '../components';
import { useDeleteRecipe, useRefreshOnRunEnd, useRunRecipe, useSaveRecipe } from '../hooks';
import { describeError, formatTime, pagePath, queries } from '../lib';
import { ApiError } from '@stockops/api';

/** The form as typed: text for every number, so a half-typed value stays on screen. */
interface Draft {
  id: string;
  name: string;
  description: string;
  kind: ModelKindValue;
  alphas: string;
  validationFraction: string;
  maxIter: string;
  learningRate: string;
  maxLeafNodes: string;
  minSamplesLeaf: string;
  l2Regularization: string;
  earlyStopping: boolean;
  gridLearningRate: string;
  gridMaxLeafNodes: string;
  gridMinSamplesLeaf: string;
  members: string[];
  featureSet: string;
  horizons: HorizonValue[];
  windowType: 'expanding' | 'sliding';
  start: string;
  initialTrain: string;
  step: string;
  purge: string;
  embargo: string;
}

const EMPTY: Draft = {
  id: '',
  name: '',
  description: '',
  kind: 'ridge',
  alphas: '',
  validationFraction: '',
  maxIter: '',
  learningRate: '',
  maxLeafNodes: '',
  minSamplesLeaf: '',
  l2Regularization: '',
  earlyStopping: true,
  gridLearningRate: '',
  gridMaxLeafNodes: '',
  gridMinSamplesLeaf: '',
  members: ['ridge', 'gbdt'],
  featureSet: FEATURE_SET_KEYS[0],
  horizons: [1],
  windowType: 'expanding',
  start: '',
  initialTrain: '1000',
  step: '250',
  purge: '',
  embargo: '0',
};

const num = (s: string): number | string => (s.trim() === '' ? '' : Number(s));
const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .filter((x) => x !== '')
    .map(Number);

/** Only what the user filled in, so the server's defaults apply to the rest. */
function pick(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entries).filter(
      ([, v]) => v !== '' && v !== undefined && !(Array.isArray(v) && v.length === 0),
    ),
  );
}

function toBody(d: Draft): RecipeCreate {
  const gbdtGrid = pick({
    learningRate: list(d.gridLearningRate),
    maxLeafNodes: list(d.gridMaxLeafNodes),
    minSamplesLeaf: list(d.gridMinSamplesLeaf),
  });
  const ridge = pick({ alphas: list(d.alphas), validationFraction: num(d.validationFraction) });
  const gbdt = pick({
    maxIter: num(d.maxIter),
    learningRate: num(d.learningRate),
    maxLeafNodes: num(d.maxLeafNodes),
    minSamplesLeaf: num(d.minSamplesLeaf),
    l2Regularization: num(d.l2Regularization),
    ...(d.earlyStopping ? {} : { earlyStopping: false }),
    ...(Object.keys(gbdtGrid).length > 0 ? { grid: gbdtGrid } : {}),
  });
  const uses = (k: 'ridge' | 'gbdt') =>
    d.kind === k || (d.kind === 'ensemble' && d.members.includes(k));
  const model = {
    kind: d.kind,
    ...(uses('ridge') && Object.keys(ridge).length > 0 ? { ridge } : {}),
    ...(uses('gbdt') && Object.keys(gbdt).length > 0 ? { gbdt } : {}),
    ...(d.kind === 'ensemble' ? { ensemble: { members: d.members } } : {}),
  };
  // Text stays text where a number is expected, so the schema names the field instead of a NaN.
  return {
    id: d.id,
    name: d.name,
    ...(d.description === '' ? {} : { description: d.description }),
    spec: {
      model,
      featureSet: d.featureSet,
      horizons: [...d.horizons].sort((a, b) => a - b),
      window: { type: d.windowType, start: d.start === '' ? null : d.start },
      walkForward: {
        initialTrain: num(d.initialTrain),
        step: num(d.step),
        purge: d.purge.trim() === '' ? null : num(d.purge),
        embargo: num(d.embargo),
      },
    },
  } as RecipeCreate;
}

function fromRecipe(r: RecipeView): Draft {
  const m = r.spec.model;
  const s = (v: number | undefined) => (v === undefined ? '' : String(v));
  const l = (v: number[] | undefined) => (v ?? []).join(', ');
  return {
    ...EMPTY,
    id: r.id,
    name: r.name,
    description: r.description,
    kind: m.kind,
    alphas: l(m.ridge?.alphas),
    validationFraction: s(m.ridge?.validationFraction),
    maxIter: s(m.gbdt?.maxIter),
    learningRate: s(m.gbdt?.learningRate),
    maxLeafNodes: s(m.gbdt?.maxLeafNodes),
    minSamplesLeaf: s(m.gbdt?.minSamplesLeaf),
    l2Regularization: s(m.gbdt?.l2Regularization),
    earlyStopping: m.gbdt?.earlyStopping !== false,
    gridLearningRate: l(m.gbdt?.grid?.learningRate),
    gridMaxLeafNodes: l(m.gbdt?.grid?.maxLeafNodes),
    gridMinSamplesLeaf: l(m.gbdt?.grid?.minSamplesLeaf),
    members: m.ensemble?.members ?? EMPTY.members,
    featureSet: r.spec.featureSet,
    horizons: r.spec.horizons,
    windowType: r.spec.window.type,
    start: r.spec.window.start ?? '',
    initialTrain: String(r.spec.walkForward.initialTrain),
    step: String(r.spec.walkForward.step),
    purge: r.spec.walkForward.purge === null ? '' : String(r.spec.walkForward.purge),
    embargo: String(r.spec.walkForward.embargo),
  };
}

/** The schema's complaints this form words itself, with the limit each broke; others keep TypeBox's words. */
const ERROR_TEXT = new Map<ValueErrorType, (t: TFunction, s: Record<string, unknown>) => string>([
  [ValueErrorType.NumberMinimum, (t, s) => t('recipes.err.min', { limit: s.minimum })],
  [ValueErrorType.IntegerMinimum, (t, s) => t('recipes.err.min', { limit: s.minimum })],
  [
    ValueErrorType.NumberExclusiveMinimum,
    (t, s) => t('recipes.err.above', { limit: s.exclusiveMinimum }),
  ],
  [
    ValueErrorType.IntegerExclusiveMinimum,
    (t, s) => t('recipes.err.above', { limit: s.exclusiveMinimum }),
  ],
  [ValueErrorType.NumberMaximum, (t, s) => t('recipes.err.max', { limit: s.maximum })],
  [ValueErrorType.IntegerMaximum, (t, s) => t('recipes.err.max', { limit: s.maximum })],
  [ValueErrorType.Integer, (t) => t('recipes.err.integer')],
  [ValueErrorType.Number, (t) => t('recipes.err.number')],
  [ValueErrorType.StringPattern, (t) => t('recipes.err.pattern')],
  [ValueErrorType.StringMinLength, (t) => t('recipes.err.required')],
  [ValueErrorType.ObjectRequiredProperty, (t) => t('recipes.err.required')],
  [ValueErrorType.ArrayMinItems, (t) => t('recipes.err.minItems')],
  [ValueErrorType.ArrayMaxItems, (t) => t('recipes.err.maxItems')],
]);

function errorText(t: TFunction, e: ValueError): string {
  const word = ERROR_TEXT.get(e.type);
  return word ? word(t, e.schema) : e.message;
}

/** The first problem per field, keyed by the field's dotted path (spec.walkForward.step). */
function fieldErrors(t: TFunction, body: RecipeCreate): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of Value.Errors(RecipeCreateSchema, body)) {
    // A list's item error belongs to the list field; a union's alternatives to the union.
    const path = e.path
      .replace(/^\//, '')
      .split('/')
      .filter((p) => !/^\d+$/.test(p))
      .join('.');
    if (!out.has(path)) {
      out.set(path, errorText(t, e));
    }
  }
  return out;
}

function Field({
  id,
  label,
  help,
  error,
  children,
  wide,
}: {
  id: string;
  label: string;
  help: string;
  error: string | undefined;
  children: ReactNode;
  wide?: boolean;
}) {
  return (
    <div className={`field${wide ? ' wide' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      <span id={`${id}-help`} className="field-help">
        {help}
      </span>
      {error !== undefined && (
        <span id={`${id}-error`} className="form-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function RecipeForm({ editing, onDone }: { editing: RecipeView | undefined; onDone: () => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(() => (editing ? fromRecipe(editing) : EMPTY));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const save = useSaveRecipe();
  const body = toBody(d);
  const errors = fieldErrors(t, body);
  const serverError = save.error instanceof ApiError ? save.error : undefined;
  const serverField = serverError?.field;
  const shown = (path: string) =>
    submitted || touched.has(path)
      ? (errors.get(path) ??
        (serverField === path ? describeError(serverError).message : undefined))
      : serverField === path
        ? describeError(serverError).message
        : undefined;
  const set =
    <K extends keyof Draft>(key: K, path: string) =>
    (value: Draft[K]) => {
      setD((cur) => ({ ...cur, [key]: value }));
      setTouched((cur) => new Set(cur).add(path));
      save.reset();
    };
  /** A text input bound to a draft field, described by its help and error. */
  const text = (key: keyof Draft, path: string, options: { numeric?: boolean } = {}) => {
    const id = `recipe-${key}`;
    const error = shown(path);
    return (
      <input
        id={id}
        value={d[key] as string}
        inputMode={options.numeric ? 'decimal' : undefined}
        aria-invalid={error !== undefined}
        aria-describedby={`${id}-help${error !== undefined ? ` ${id}-error` : ''}`}
        onChange={(e) => {
          set(key, path)(e.target.value);
        }}
      />
    );
  };
  const field = (
    key: keyof Draft,
    path: string,
    options: { numeric?: boolean; wide?: boolean } = {},
  ) => (
    <Field
      key={key}
      id={`recipe-${key}`}
      label={t(`recipes.fields.${key}`)}
      help={t(`recipes.help.${key}`)}
      error={shown(path)}
      {...(options.wide ? { wide: true } : {})}
    >
      {text(key, path, options)}
    </Field>
  );
  const usesRidge = d.kind === 'ridge' || (d.kind === 'ensemble' && d.members.includes('ridge'));
  const usesGbdt = d.kind === 'gbdt' || (d.kind === 'ensemble' && d.members.includes('gbdt'));
  const submit = () => {
    setSubmitted(true);
    if (errors.size > 0) {
      return;
    }
    const { id: _id, ...update } = body;
    save.mutate(editing ? { id: editing.id, update } : { create: body }, {
      onSuccess: () => {
        onDone();
      },
    });
  };
  return (
    <form
      className="recipe-form"
      aria-labelledby="recipe-form-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h2 id="recipe-form-title">
        {editing
          ? t('recipes.editTitle', { id: editing.id, next: editing.version + 1 })
          : t('recipes.newTitle')}
      </h2>
      <fieldset>
        <legend>{t('recipes.sections.about')}</legend>
        {!editing && field('id', 'id')}
        {field('name', 'name')}
        {field('description', 'description', { wide: true })}
      </fieldset>
      <fieldset>
        <legend>{t('recipes.sections.model')}</legend>
        <Field
          id="recipe-kind"
          label={t('recipes.fields.kind')}
          help={t('recipes.help.kind')}
          error={undefined}
        >
          <select
            id="recipe-kind"
            aria-describedby="recipe-kind-help"
            value={d.kind}
            onChange={(e) => {
              set('kind', 'spec.model.kind')(e.target.value as ModelKindValue);
            }}
          >
            {MODEL_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`models.kinds.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        {d.kind === 'ensemble' && (
          <fieldset className="choice-field">
            <legend>{t('recipes.fields.members')}</legend>
            {MODEL_KINDS.filter((k) => k !== 'ensemble').map((k) => (
              <label key={k} className="inline-check">
                <input
                  type="checkbox"
                  checked={d.members.includes(k)}
                  onChange={(e) => {
                    set(
                      'members',
                      'spec.model.ensemble.members',
                    )(e.target.checked ? [...d.members, k] : d.members.filter((x) => x !== k));
                  }}
                />
                {t(`models.kinds.${k}`)}
              </label>
            ))}
            <span className="field-help">{t('recipes.help.members')}</span>
            {shown('spec.model.ensemble.members') && (
              <span className="form-error">{shown('spec.model.ensemble.members')}</span>
            )}
          </fieldset>
        )}
        {usesRidge && (
          <>
            {field('alphas', 'spec.model.ridge.alphas', { wide: true })}
            {field('validationFraction', 'spec.model.ridge.validationFraction', { numeric: true })}
          </>
        )}
        {usesGbdt && (
          <>
            {field('maxIter', 'spec.model.gbdt.maxIter', { numeric: true })}
            {field('learningRate', 'spec.model.gbdt.learningRate', { numeric: true })}
            {field('maxLeafNodes', 'spec.model.gbdt.maxLeafNodes', { numeric: true })}
            {field('minSamplesLeaf', 'spec.model.gbdt.minSamplesLeaf', { numeric: true })}
            {field('l2Regularization', 'spec.model.gbdt.l2Regularization', { numeric: true })}
            <div className="field">
              <label className="inline-check" htmlFor="recipe-earlyStopping">
                <input
                  id="recipe-earlyStopping"
                  type="checkbox"
                  checked={d.earlyStopping}
                  aria-describedby="recipe-earlyStopping-help"
                  onChange={(e) => {
                    set('earlyStopping', 'spec.model.gbdt.earlyStopping')(e.target.checked);
                  }}
                />
                {t('recipes.fields.earlyStopping')}
              </label>
              <span id="recipe-earlyStopping-help" className="field-help">
                {t('recipes.help.earlyStopping')}
              </span>
            </div>
            {field('gridLearningRate', 'spec.model.gbdt.grid.learningRate')}
            {field('gridMaxLeafNodes', 'spec.model.gbdt.grid.maxLeafNodes')}
            {field('gridMinSamplesLeaf', 'spec.model.gbdt.grid.minSamplesLeaf')}
          </>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('recipes.sections.data')}</legend>
        <Field
          id="recipe-featureSet"
          label={t('recipes.fields.featureSet')}
          help={t('recipes.help.featureSet')}
          error={shown('spec.featureSet')}
        >
          <select
            id="recipe-featureSet"
            aria-describedby="recipe-featureSet-help"
            value={d.featureSet}
            onChange={(e) => {
              set('featureSet', 'spec.featureSet')(e.target.value);
            }}
          >
            {FEATURE_SET_KEYS.map((k) => (
              <option key={k} value={k}>
                {t(`recipes.featureSets.${k.replace('@', '_')}`)}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="choice-field">
          <legend>{t('recipes.fields.horizons')}</legend>
          {HORIZONS.map((h) => (
            <label key={h} className="inline-check">
              <input
                type="checkbox"
                checked={d.horizons.includes(h)}
                onChange={(e) => {
                  set(
                    'horizons',
                    'spec.horizons',
                  )(e.target.checked ? [...d.horizons, h] : d.horizons.filter((x) => x !== h));
                }}
              />
              {t('common.horizonShort', { h })}
            </label>
          ))}
          <span className="field-help">{t('recipes.help.horizons')}</span>
          {shown('spec.horizons') && <span className="form-error">{shown('spec.horizons')}</span>}
        </fieldset>
        <Field
          id="recipe-windowType"
          label={t('recipes.fields.windowType')}
          help={t('recipes.help.windowType')}
          error={undefined}
        >
          <select
            id="recipe-windowType"
            aria-describedby="recipe-windowType-help"
            value={d.windowType}
            onChange={(e) => {
              set('windowType', 'spec.window.type')(e.target.value as Draft['windowType']);
            }}
          >
            <option value="expanding">{t('recipes.window.expanding')}</option>
            <option value="sliding">{t('recipes.window.sliding')}</option>
          </select>
        </Field>
        <Field
          id="recipe-start"
          label={t('recipes.fields.start')}
          help={t('recipes.help.start')}
          error={shown('spec.window.start')}
        >
          <input
            id="recipe-start"
            type="date"
            value={d.start}
            aria-describedby="recipe-start-help"
            onChange={(e) => {
              set('start', 'spec.window.start')(e.target.value);
            }}
          />
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t('recipes.sections.walkForward')}</legend>
        {field('initialTrain', 'spec.walkForward.initialTrain', { numeric: true })}
        {field('step', 'spec.walkForward.step', { numeric: true })}
        {field('purge', 'spec.walkForward.purge', { numeric: true })}
        {field('embargo', 'spec.walkForward.embargo', { numeric: true })}
      </fieldset>
      <div className="promote-form">
        <ApiKeyField />
        <button className="primary" type="submit" disabled={save.isPending}>
          {editing ? t('recipes.saveVersion') : t('recipes.create')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('recipes.cancel')}
        </button>
        {submitted && errors.size > 0 && (
          <span className="form-error" role="status">
            {t('recipes.fixFields', { count: errors.size })}
          </span>
        )}
        {save.isError && serverField === undefined && (
          <span className="form-error" role="status">
            {describeError(save.error).message}
          </span>
        )}
      </div>
    </form>
  );
}

function RunPanel({ recipe }: { recipe: RecipeView }) {
  const { t } = useTranslation();
  const tickers = useQuery(queries.tickers());
  const [chosen, setChosen] = useState<string[]>([]);
  const [action, setAction] = useState<'train' | 'evaluate'>('train');
  const run = useRunRecipe();
  const started = run.data?.runs ?? [];
  const runs = useQueries({ queries: started.map((r) => queries.flowRun(r.id)) });
  const states = runs.flatMap((q) => (q.data ? [q.data] : []));
  useRefreshOnRunEnd(states);
  const list = tickers.data ?? [];
  return (
    <section className="panel mlops-panel" aria-labelledby="run-title">
      <h2 id="run-title">{t('recipes.runTitle', { ref: `${recipe.id}@${recipe.version}` })}</h2>
      <form
        className="promote-form"
        aria-labelledby="run-title"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate({ id: recipe.id, body: { tickers: chosen, action, version: recipe.version } });
        }}
      >
        <fieldset className="choice-field">
          <legend>{t('common.tickers')}</legend>
          {list.map((x) => (
            <label key={x.symbol} className="inline-check">
              <input
                type="checkbox"
                checked={chosen.includes(x.symbol)}
                onChange={(e) => {
                  setChosen((cur) =>
                    e.target.checked ? [...cur, x.symbol] : cur.filter((s) => s !== x.symbol),
                  );
                  run.reset();
                }}
              />
              {x.symbol}
            </label>
          ))}
        </fieldset>
        <label htmlFor="run-action">
          <span>{t('recipes.action')}</span>
          <select
            id="run-action"
            value={action}
            onChange={(e) => {
              setAction(e.target.value as 'train' | 'evaluate');
            }}
          >
            <option value="train">{t('recipes.actions.train')}</option>
            <option value="evaluate">{t('recipes.actions.evaluate')}</option>
          </select>
        </label>
        <ApiKeyField />
        <button className="primary" type="submit" disabled={run.isPending || chosen.length === 0}>
          {t('recipes.runButton', { count: chosen.length * recipe.spec.horizons.length })}
        </button>
        {run.isError && (
          <span className="form-error" role="status">
            {describeError(run.error).message}
          </span>
        )}
      </form>
      {started.length > 0 && (
        <ul className="run-list" data-testid="recipe-runs">
          {started.map((r, i) => (
            <li key={r.id}>
              {t(`recipes.actions.${r.flow}`)} {r.ticker}{' '}
              {t('common.horizonShort', { h: r.horizon })}{' '}
              <span className="mono small">{r.id.slice(0, 8)}</span>{' '}
              {runs[i]?.data ? <StateBadge state={runs[i].data.state} /> : '…'}
            </li>
          ))}
          <li>
            <AppLink to={pagePath('experiments')}>{t('recipes.seeExperiments')}</AppLink>
          </li>
        </ul>
      )}
    </section>
  );
}

export function RecipesPage() {
  const { t } = useTranslation();
  const recipes = useQuery(queries.recipes());
  const remove = useDeleteRecipe();
  const [mode, setMode] = useState<{ kind: 'none' | 'new' | 'edit' | 'run'; id?: string }>({
    kind: 'none',
  });
  const list = recipes.data ?? [];
  const current = list.find((r) => r.id === mode.id);
  const messages = queryErrors([
    [t('nav.recipes'), recipes],
    [t('recipes.delete'), remove],
  ]);
  return (
    <PageShell title={t('nav.recipes')}>
      <ErrorBanner messages={messages} />
      <section className="panel mlops-panel" aria-labelledby="recipes-title">
        <div className="panel-head">
          <h2 id="recipes-title">{t('recipes.title')}</h2>
          <button
            type="button"
            className="primary"
            onClick={() => {
              setMode({ kind: 'new' });
            }}
          >
            {t('recipes.new')}
          </button>
        </div>
        <p className="hint">{t('recipes.intro')}</p>
        {recipes.isSuccess && list.length === 0 ? (
          <p className="empty">{t('recipes.none')}</p>
        ) : (
          <div className="table-wrap" tabIndex={0}>
            <table className="data-table" data-testid="recipes-table">
              <thead>
                <tr>
                  <th scope="col">{t('recipes.recipe')}</th>
                  <th scope="col">{t('recipes.fields.name')}</th>
                  <th scope="col">{t('common.model')}</th>
                  <th scope="col">{t('recipes.fields.horizons')}</th>
                  <th scope="col">{t('recipes.fields.windowType')}</th>
                  <th scope="col">{t('recipes.walkForward')}</th>
                  <th scope="col">{t('recipes.created')}</th>
                  <th scope="col">{t('recipes.actionsCol')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={r.id}>
                    <th scope="row" className="mono">
                      {r.id}@{r.version}
                    </th>
                    <td className="wrap">{r.name}</td>
                    <td>{t(`models.kinds.${r.spec.model.kind}`)}</td>
                    <td>
                      {r.spec.horizons.map((h) => t('common.horizonShort', { h })).join(', ')}
                    </td>
                    <td>
                      {t(`recipes.window.${r.spec.window.type}`)}
                      {r.spec.window.start === null
                        ? ''
                        : ` ${t('recipes.from', { date: r.spec.window.start })}`}
                    </td>
                    <td>
                      {t('recipes.wfSummary', {
                        first: r.spec.walkForward.initialTrain,
                        step: r.spec.walkForward.step,
                      })}
                    </td>
                    <td>{formatTime(r.createdAt)}</td>
                    <td className="row-actions">
                      <button
                        type="button"
                        className="primary small-button"
                        onClick={() => {
                          setMode({ kind: 'run', id: r.id });
                        }}
                      >
                        {t('recipes.run')}
                      </button>
                      <button
                        type="button"
                        className="secondary small-button"
                        onClick={() => {
                          setMode({ kind: 'edit', id: r.id });
                        }}
                      >
                        {t('recipes.edit')}
                      </button>
                      <button
                        type="button"
                        className="secondary small-button"
                        disabled={remove.isPending}
                        onClick={() => {
                          if (window.confirm(t('recipes.confirmDelete', { id: r.id }))) {
                            remove.mutate(r.id);
                          }
                        }}
                      >
                        {t('recipes.delete')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {(mode.kind === 'new' || (mode.kind === 'edit' && current)) && (
        <section className="panel mlops-panel">
          <RecipeForm
            key={`${mode.kind}:${current?.id ?? ''}:${current?.version ?? 0}`}
            editing={mode.kind === 'edit' ? current : undefined}
            onDone={() => {
              setMode({ kind: 'none' });
            }}
          />
        </section>
      )}
      {mode.kind === 'run' && current && <RunPanel key={current.id} recipe={current} />}
    </PageShell>
  );
}
