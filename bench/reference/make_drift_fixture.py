"""Writes tests/fixtures/drift/columns.json and datasets.json: drift cases covering every branch of the
default test choice, both KS methods, ties, NaN and +-inf, categories, booleans, integers with few values,
PSI's bins and empty-bin rule, overrides, and the values drift_reference.py (scipy) gives for them, for
src/core/monitoring/drift-fixture.test.ts.

Run: npm run bench:drift-fixture (PYTHONHASHSEED=0: Python sums value counts in set order, so a fixed
hash seed makes the file byte-for-byte reproducible)
"""

from __future__ import annotations

import json
import math
import os
import sys

import numpy as np
import pandas as pd
import scipy

sys.path.insert(0, os.path.dirname(__file__))
from drift_reference import column_drift, dataset_drift  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "drift")


def enc_num(v):
    """A number for JSON.parse: non-finite ones as strings."""
    if v is None:
        return None
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    return v


def enc_result(r: dict) -> dict:
    out = {k: enc_num(v) if k in ("statistic", "pValue") else v for k, v in r.items()}
    if "psi" in r:
        out["psi"] = {**r["psi"], "statistic": enc_num(r["psi"]["statistic"])}
    return out


def column(dtype: str, values) -> tuple[pd.Series, dict]:
    """A pandas column of the given dtype and its JSON form (null = missing; inf as strings)."""
    if dtype == "float":
        s = pd.Series(np.asarray(values, dtype=float))
        js = [None if math.isnan(v) else enc_num(float(v)) for v in s]
    elif dtype == "int":
        s = pd.Series(np.asarray(values, dtype=np.int64))
        js = [int(v) for v in s]
    elif dtype == "bool":
        has_none = any(v is None for v in values)
        s = pd.Series(list(values), dtype=object if has_none else bool)
        js = [None if v is None else bool(v) for v in values]
    elif dtype == "str":
        s = pd.Series(list(values), dtype=object)
        js = [None if v is None else str(v) for v in values]
    else:
        raise ValueError(dtype)
    return s, {"dtype": dtype, "values": js}


rng = np.random.default_rng(20261202)
cases = []


def case(name, dtype, ref, cur, **options):
    rs, rj = column(dtype, ref)
    cs, cj = column(dtype, cur)
    opts = {k: v for k, v in options.items() if v is not None}
    expected = column_drift(rs, cs, kind=opts.get("kind"), test=opts.get("test"),
                            threshold=opts.get("threshold"), psi=opts.get("psi", True),
                            psi_threshold=opts.get("psiThreshold"))
    cases.append({"name": name, "ref": rj, "cur": cj, "options": {"psi": True, **opts},
                  "expected": enc_result(expected)})


def normal(n, loc=0.0, scale=1.0, digits=None):
    x = rng.normal(loc, scale, n)
    return np.round(x, digits) if digits is not None else x


# KS, exact: different sizes, equal sizes, a shift, no shift, ties, tiny samples.
case("ks exact, shifted, unequal sizes", "float", normal(400), normal(250, 0.3))
case("ks exact, same distribution", "float", normal(800), normal(700))
case("ks exact, equal sizes (paths outside the square)", "float", normal(300), normal(300, 0.25))
case("ks exact, many ties", "float", normal(900, digits=1), normal(600, 0.1, digits=1))
case("ks exact, tiny samples", "float", [1.5, 2.0, 2.5, 3.0, 4.0, 5.5], [0.5, 2.2, 9.0])
case("ks exact, reference of one value against several", "float", [3.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
case("ks exact, coprime sizes near the 10000 limit", "float", normal(997, digits=3), normal(9973, 0.08, digits=3))
# KS, asymptotic (max size above 10000): kstwo.sf by Smirnov, Durbin or Pelz-Good.
case("ks asymptotic, drifted (Smirnov tail)", "float", normal(600, digits=2), normal(10500, 0.2, digits=2))
# Quantile references make the statistic land where each method of kstwo.sf applies (n = round(en)).
def quantiles(n, shift=0.0):
    from scipy.stats import norm
    return np.round(norm.ppf((np.arange(n) + 0.5) / n) + shift, 3)


case("ks asymptotic, n <= 140, small statistic (Durbin matrix)", "float", quantiles(130, -0.1), normal(10100, digits=3))
case("ks asymptotic, n <= 140, moderate statistic (Pomeranz)", "float", quantiles(130, -0.3), normal(10100, digits=3))
case("ks asymptotic, n > 140, small statistic (Durbin matrix)", "float", quantiles(600), normal(10100, digits=3))
case("ks asymptotic, n > 140, moderate statistic (Pelz-Good)", "float", quantiles(600, -0.08), normal(10100, digits=3))
# Wasserstein (reference above 1000 values).
case("wasserstein, shifted", "float", normal(3000, digits=3), normal(2000, 0.2, digits=3))
case("wasserstein, same distribution", "float", normal(1500, digits=3), normal(1200, digits=3))
case("wasserstein, constant reference (norm floored at 0.001)", "float", [2.0] * 1200,
     list(normal(40, 2.0, 0.01, digits=4)) + [2.0] * 10)
case("wasserstein, heavy tails and a scale change", "float", np.round(rng.standard_t(3, 2500), 3),
     np.round(1.3 * rng.standard_t(3, 2500), 3))
# Numerical columns with few values.
case("numerical, 4 values, small reference: chi-square", "float", rng.choice([0.5, 1.0, 1.5, 2.0], 300),
     rng.choice([0.5, 1.0, 1.5, 2.0], 200, p=[0.1, 0.2, 0.3, 0.4]))
case("numerical, a value new in the current data: infinite chi-square", "float", rng.choice([1.0, 2.0, 3.0], 100),
     rng.choice([1.0, 2.0, 3.0, 4.0], 80))
case("numerical, 2 values, small reference: Z", "float", rng.choice([0.0, 1.0], 500, p=[0.3, 0.7]),
     rng.choice([0.0, 1.0], 400, p=[0.4, 0.6]))
case("numerical, constant and equal on both sides: Z without a statistic", "float", [7.0] * 50, [7.0] * 20)
case("numerical, constant but different on the two sides: Z", "float", [7.0] * 50, [8.0] * 20)
case("numerical, one value each, different", "float", [1.0], [2.0])
case("numerical, 5 values, large reference: Jensen-Shannon by counts", "float",
     rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], 5000), rng.choice([1.0, 2.0, 3.0, 4.0, 5.0], 3000, p=[0.1, 0.1, 0.2, 0.3, 0.3]))
# Integers: numerical in the preset whatever their number of values.
case("integers, 3 values, small: chi-square", "int", rng.integers(0, 3, 400), rng.integers(0, 3, 300))
case("integers, 2 values, small: Z", "int", rng.integers(0, 2, 900), rng.integers(0, 2, 100))
case("integers, 4 reference values, 7 with the current ones: KS", "int", rng.integers(1, 5, 300),
     rng.integers(1, 8, 300))
case("integers, 4 values, large: Jensen-Shannon", "int", rng.integers(0, 4, 2000), rng.integers(0, 4, 2000))
case("integers, many values, large: Wasserstein", "int", rng.integers(0, 1000, 2000), rng.integers(50, 1000, 1500))
# Missing values and infinities, dropped from each side on its own.
ref_nan = normal(500, digits=3)
ref_nan[::7] = np.nan
ref_nan[3] = np.inf
ref_nan[5] = -np.inf
cur_nan = normal(300, 0.5, digits=3)
cur_nan[::11] = np.nan
cur_nan[1] = np.inf
case("NaN and +-inf dropped before a KS test", "float", ref_nan, cur_nan)
big_nan = normal(1300, digits=3)
big_nan[::4] = np.nan
case("NaN dropped: 1300 rows, 975 values left, so still small: KS", "float", big_nan, normal(700, digits=3))
case("+-inf only (no NaN) dropped as well", "float", list(normal(60, digits=3)) + [np.inf, -np.inf],
     list(normal(40, 1.0, digits=3)) + [np.inf])
# Categorical strings and booleans.
cats = ["apple", "banana", "cherry", "date"]
case("strings, small: chi-square", "str", rng.choice(cats, 300), rng.choice(cats, 200, p=[0.4, 0.3, 0.2, 0.1]))
case("strings with missing values and a category only in the reference", "str",
     list(rng.choice(cats, 200)) + [None] * 5, list(rng.choice(cats[:3], 150)) + [None])
case("strings, two values, small: Z (sorted: 'no' before 'yes')", "str", rng.choice(["yes", "no"], 400),
     rng.choice(["yes", "no"], 300, p=[0.3, 0.7]))
case("strings, large: Jensen-Shannon", "str", rng.choice(cats, 3000), rng.choice(cats, 2000, p=[0.25, 0.25, 0.3, 0.2]))
case("strings, non-ASCII categories", "str", rng.choice(["é", "z", "Å", "😀"], 500), rng.choice(["é", "z", "Å", "😀"], 500))
case("booleans, small: Z", "bool", rng.choice([True, False], 600), rng.choice([True, False], 500, p=[0.6, 0.4]))
case("booleans with missing values, large: Jensen-Shannon", "bool",
     list(rng.choice([True, False], 1500)) + [None] * 20, list(rng.choice([True, False], 900, p=[0.7, 0.3])) + [None])
case("booleans, one value on both sides", "bool", [True] * 30, [True] * 10)
# PSI: Sturges bins with empty bins on either side, and counts with a missing category.
case("PSI, Sturges bins with empty bins in the current data", "float", normal(2000, digits=3),
     normal(500, 1.5, 0.3, digits=3))
case("PSI, Sturges bins, 10001+ values so the fill is min/1e6", "float", normal(12000, digits=2),
     list(normal(300, digits=2)) + [12.5])
case("PSI, counts, a category absent from the current data", "str", rng.choice(cats, 400), rng.choice(cats[:2], 300))
# Overrides of the test and thresholds.
case("override: Jensen-Shannon on a numerical column (Sturges bins)", "float", normal(800, digits=3),
     normal(600, 0.2, digits=3), test="jensenshannon")
case("override: KS threshold 0.2", "float", normal(200, digits=3), normal(200, 0.15, digits=3), threshold=0.2)
case("override: chi-square on integers with many values", "int", rng.integers(0, 12, 500), rng.integers(0, 12, 400),
     test="chisquare")
case("override: categorical kind on integers", "int", rng.integers(0, 8, 500), rng.integers(0, 9, 400),
     kind="categorical")
case("override: Wasserstein on a small reference", "float", normal(300, digits=3), normal(300, 0.05, digits=3),
     test="wasserstein")
case("override: KS on a large reference", "float", normal(4000, digits=2), normal(3000, 0.05, digits=2), test="ks")
case("override: PSI threshold 0.01", "float", normal(1500, digits=3), normal(1000, 0.1, digits=3), psiThreshold=0.01)

# Data sets: the share of drifted columns, precedence of the options.
datasets = []


def dataset(name, ref: dict, cur: dict, options: dict):
    rframe, cframe, rj, cj = {}, {}, {}, {}
    for col, (dtype, values) in ref.items():
        rframe[col], rj[col] = column(dtype, values)
    for col, (dtype, values) in cur.items():
        cframe[col], cj[col] = column(dtype, values)
    expected = dataset_drift(pd.DataFrame(rframe), pd.DataFrame(cframe), options)
    expected = {"columns": {k: enc_result(v) for k, v in expected["columns"].items()},
                "dataset": expected["dataset"]}
    datasets.append({"name": name, "ref": rj, "cur": cj, "options": options, "expected": expected})


n1, n2 = 600, 500
dataset(
    "mixed columns, default options, half drifted",
    {"price": ("float", normal(n1, digits=3)), "volume": ("float", normal(n1, 10, 2, digits=2)),
     "sector": ("str", rng.choice(cats, n1)), "up": ("bool", rng.choice([True, False], n1))},
    {"price": ("float", normal(n2, 0.5, digits=3)), "volume": ("float", normal(n2, 10, 2, digits=2)),
     "sector": ("str", rng.choice(cats, n2, p=[0.7, 0.1, 0.1, 0.1])), "up": ("bool", rng.choice([True, False], n2))},
    {"psi": True},
)
dataset(
    "precedence: column over kind over all columns, drift share 0.3",
    {"a": ("float", normal(n1, digits=3)), "b": ("float", normal(n1, digits=3)), "c": ("str", rng.choice(cats, n1)),
     "d": ("int", rng.integers(0, 3, n1))},
    {"a": ("float", normal(n2, 0.1, digits=3)), "b": ("float", normal(n2, 0.1, digits=3)),
     "c": ("str", rng.choice(cats, n2)), "d": ("int", rng.integers(0, 3, n2))},
    {"test": "jensenshannon", "threshold": 0.2, "numerical": {"test": "wasserstein", "threshold": 0.05},
     "columns": {"b": {"test": "ks", "threshold": 0.5}, "d": {"kind": "categorical"}}, "driftShare": 0.3},
)

# The CLI's files: read back with pandas.read_csv, so the expected values carry read_csv's typing
# (integers, True/False booleans, NA spellings, quoted fields, inf).
n_ref, n_cur = 400, 250
cli_ref = pd.DataFrame({
    "price": np.round(rng.normal(0, 1, n_ref), 4),
    "volume": rng.integers(1, 4, n_ref),
    "sector": rng.choice(["tech", "energy", "health, care"], n_ref),
    "up": rng.choice(["True", "False"], n_ref),
    "flag": rng.choice(["", "1", "2", "NA"], n_ref),
    "const": ["7"] * n_ref,
})
cli_cur = pd.DataFrame({
    "price": np.round(rng.normal(0.4, 1, n_cur), 4),
    "volume": rng.integers(1, 4, n_cur),
    "sector": rng.choice(["tech", "energy", "health, care", "retail"], n_cur),
    "up": rng.choice(["True", "False", ""], n_cur),
    "flag": rng.choice(["inf", "1", "2", "-inf"], n_cur),
    "const": ["7"] * n_cur,
    "extra": ["x"] * n_cur,
})
os.makedirs(OUT, exist_ok=True)
cli_ref.to_csv(os.path.join(OUT, "cli-ref.csv"), index=False)
cli_cur.to_csv(os.path.join(OUT, "cli-cur.csv"), index=False)
read_ref = pd.read_csv(os.path.join(OUT, "cli-ref.csv"))
read_cur = pd.read_csv(os.path.join(OUT, "cli-cur.csv"))
cli_expected = dataset_drift(read_ref, read_cur, {"psi": True, "columns": {"volume": {"kind": "categorical"}}})
cli_expected = {"args": ["--psi", "--cat", "volume"],
                "columns": {k: enc_result(v) for k, v in cli_expected["columns"].items()},
                "dataset": cli_expected["dataset"]}
with open(os.path.join(OUT, "cli-expected.json"), "w") as f:
    json.dump(cli_expected, f, indent=1, allow_nan=False)

meta = {"generator": "bench/reference/make_drift_fixture.py", "numpy": np.__version__, "pandas": pd.__version__,
        "scipy": scipy.__version__}
with open(os.path.join(OUT, "columns.json"), "w") as f:
    json.dump({**meta, "cases": cases}, f, separators=(",", ":"), allow_nan=False)
with open(os.path.join(OUT, "datasets.json"), "w") as f:
    json.dump({**meta, "datasets": datasets}, f, separators=(",", ":"), allow_nan=False)
print(f"{len(cases)} column cases, {len(datasets)} data sets -> {OUT}")
