"""Reference implementation of stockops' drift rules (Evidently's legacy DataDriftPreset defaults) with
pandas, numpy and scipy: the values src/core/monitoring must reproduce (tests/fixtures/drift) and the
Python side of `npm run bench:drift`. A test tool only; the product never runs Python.

It follows Evidently's own code (src/evidently/legacy/calculations/stattests/*.py, registry.py,
data_drift.py, data_operations.py) without importing Evidently, with the differences stockops chose:
- +-inf are dropped from every column (Evidently drops them only from a column that also holds a NaN);
- the Z test's p-value is 2 * norm.sf(|z|) (Evidently: 2 * (1 - norm.cdf(|z|)), 0 beyond |z| = 8.3);
- chi-square and Z may be chosen for a numerical column by an override (Evidently accepts them there
  only by its default choice).

Bench mode: `drift_reference.py bench DIR` reads DIR/meta.json and DIR/ref.f64, DIR/cur.f64 (column-major
little-endian float64) and prints one JSON object with the time and the per-column results.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial import distance

SMALL_REFERENCE_MAX_ROWS = 1000
FEW_VALUES_MAX = 5
BINNED_MIN_DISTINCT = 20
DEFAULT_THRESHOLDS = {"ks": 0.05, "wasserstein": 0.1, "chisquare": 0.05, "z": 0.05, "jensenshannon": 0.1}
DEFAULT_PSI_THRESHOLD = 0.1
DEFAULT_DRIFT_SHARE = 0.5


def clean(s: pd.Series) -> pd.Series:
    """NaN and +-inf dropped (data_drift.get_one_column_drift)."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.replace([-np.inf, np.inf], np.nan).dropna()
    return s.dropna()


def infer_kind(s: pd.Series) -> str:
    """The preset's kinds (data_operations.process_columns): numeric dtypes numerical, the rest categorical."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return "numerical"
    return "categorical"


def default_test(kind: str, n_ref: int, n_values: int) -> str:
    """registry._get_default_stattest."""
    if n_ref <= SMALL_REFERENCE_MAX_ROWS:
        if kind == "numerical" and n_values > FEW_VALUES_MAX:
            return "ks"
        return "chisquare" if n_values > 2 else "z"
    if kind == "numerical" and n_values > FEW_VALUES_MAX:
        return "wasserstein"
    return "jensenshannon"


def unique_keys(ref: pd.Series, cur: pd.Series) -> list:
    return list(set(ref.dropna().unique()) | set(cur.dropna().unique()))


def binned(ref: pd.Series, cur: pd.Series, kind: str, fill: bool):
    """utils.get_binned_data."""
    if kind == "numerical" and ref.nunique() > BINNED_MIN_DISTINCT:
        combined = np.asarray(pd.concat([ref, cur], axis=0).values)
        bins = np.histogram_bin_edges(combined, bins="sturges")
        r = np.histogram(ref, bins)[0] / len(ref)
        c = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = unique_keys(ref, cur)
        rd = {**dict.fromkeys(keys, 0), **dict(ref.value_counts())}
        cd = {**dict.fromkeys(keys, 0), **dict(cur.value_counts())}
        r = np.array([rd[k] / len(ref) for k in keys])
        c = np.array([cd[k] / len(cur) for k in keys])
    if fill:
        for a in (r, c):
            m = min(a[a != 0])
            np.place(a, a == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return r, c


def run_test(test: str, ref: pd.Series, cur: pd.Series, kind: str):
    """(statistic, p-value or None) of one test, as Evidently computes it."""
    if test == "ks":
        res = stats.ks_2samp(ref, cur)
        return float(res.statistic), float(res.pvalue)
    if test == "wasserstein":
        norm = max(float(np.std(ref)), 0.001)
        return float(stats.wasserstein_distance(ref, cur) / norm), None
    if test == "chisquare":
        keys = unique_keys(ref, cur)
        rd = {**dict.fromkeys(keys, 0), **dict(ref.value_counts())}
        cd = {**dict.fromkeys(keys, 0), **dict(cur.value_counts())}
        k_norm = cur.shape[0] / ref.shape[0]
        f_exp = [rd[k] * k_norm for k in keys]
        f_obs = [cd[k] for k in keys]
        with np.errstate(divide="ignore", invalid="ignore"):
            res = stats.chisquare(f_obs, f_exp)
        return float(res.statistic), float(res.pvalue)
    if test == "z":
        if ref.nunique() == 1 and cur.nunique() == 1 and ref.unique()[0] == cur.unique()[0]:
            return None, 1.0
        keys = sorted(unique_keys(ref, cur))
        a = ref.apply(lambda x, key=keys[0]: 0 if x == key else 1)
        b = cur.apply(lambda x, key=keys[0]: 0 if x == key else 1)
        n1, n2 = len(a), len(b)
        p1 = float(sum(a)) / n1
        p2 = float(sum(b)) / n2
        pooled = float(p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
        return float(z), float(2 * stats.norm.sf(abs(z)))
    if test == "jensenshannon":
        r, c = binned(ref, cur, kind, False)
        return float(distance.jensenshannon(r, c)), None
    raise ValueError(f"unknown test {test}")


def is_drift(test: str, statistic, p_value, threshold: float) -> bool:
    if test == "ks":
        return bool(p_value <= threshold)
    if test in ("chisquare", "z"):
        return bool(p_value < threshold)
    return bool(statistic >= threshold)


def column_drift(ref: pd.Series, cur: pd.Series, kind=None, test=None, threshold=None, psi=False,
                 psi_threshold=None) -> dict:
    kind = kind or infer_kind(ref)
    ref = clean(ref)
    cur = clean(cur)
    if ref.empty or cur.empty:
        raise ValueError("empty column")
    n_values = int(pd.concat([ref, cur]).nunique())
    test = test or default_test(kind, len(ref), n_values)
    threshold = DEFAULT_THRESHOLDS[test] if threshold is None else threshold
    statistic, p_value = run_test(test, ref, cur, kind)
    out = {
        "kind": kind,
        "nRef": int(len(ref)),
        "nCur": int(len(cur)),
        "nValues": n_values,
        "test": test,
        "statistic": statistic,
    }
    if p_value is not None:
        out["pValue"] = p_value
    out["threshold"] = threshold
    out["drift"] = is_drift(test, statistic, p_value, threshold)
    if psi:
        r, c = binned(ref, cur, kind, True)
        value = float(np.sum((r - c) * np.log(r / c)))
        t = DEFAULT_PSI_THRESHOLD if psi_threshold is None else psi_threshold
        out["psi"] = {"statistic": value, "threshold": t, "drift": bool(value >= t), "nBins": int(len(r))}
    return out


def resolve(name: str, kind: str, options: dict) -> dict:
    """Evidently's precedence: the column's own setting, its kind's, all columns', the default."""
    own = (options.get("columns") or {}).get(name, {})
    group = options.get(kind) or {}
    out = {}
    for key in ("test", "threshold"):
        value = own.get(key, group.get(key, options.get(key)))
        if value is not None:
            out[key] = value
    for key in ("psi", "psiThreshold"):
        value = own.get(key, options.get(key))
        if value is not None:
            out[key] = value
    return out


def dataset_drift(ref: pd.DataFrame, cur: pd.DataFrame, options: dict | None = None) -> dict:
    options = options or {}
    columns = {}
    for name in ref.columns:
        kind = (options.get("columns") or {}).get(name, {}).get("kind") or infer_kind(ref[name])
        o = resolve(name, kind, options)
        columns[name] = column_drift(ref[name], cur[name], kind=kind, test=o.get("test"),
                                     threshold=o.get("threshold"), psi=bool(o.get("psi")),
                                     psi_threshold=o.get("psiThreshold"))
    n = len(columns)
    drifted = sum(1 for c in columns.values() if c["drift"])
    share = drifted / n
    threshold = options.get("driftShare", DEFAULT_DRIFT_SHARE)
    return {"columns": columns,
            "dataset": {"nColumns": n, "nDrifted": drifted, "share": share, "threshold": threshold,
                        "drift": bool(share >= threshold)}}


def bench(directory: str) -> None:
    meta = json.load(open(os.path.join(directory, "meta.json")))
    cols, n_ref, n_cur = meta["columns"], meta["nRef"], meta["nCur"]
    ref_all = np.fromfile(os.path.join(directory, "ref.f64"), dtype="<f8").reshape(len(cols), n_ref)
    cur_all = np.fromfile(os.path.join(directory, "cur.f64"), dtype="<f8").reshape(len(cols), n_cur)
    ref = pd.DataFrame({c: ref_all[i] for i, c in enumerate(cols)})
    cur = pd.DataFrame({c: cur_all[i] for i, c in enumerate(cols)})
    times = []
    result = None
    for _ in range(meta.get("repeats", 3)):
        t0 = time.perf_counter()
        result = dataset_drift(ref, cur, {"psi": bool(meta.get("psi"))})
        times.append(time.perf_counter() - t0)
    print(json.dumps({"seconds": times, "result": result}))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "bench":
        bench(sys.argv[2])
    else:
        sys.exit("usage: drift_reference.py bench DIR")
