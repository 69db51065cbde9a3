"""Writes tests/fixtures/features/alpha-v1.json: input bars and the pandas reference values of every
`alpha@1` feature, for the TypeScript fixture test (src/core/features/alpha-set.test.ts).

Run: .venv-bench/bin/python bench/reference/make_feature_fixture.py
"""

from __future__ import annotations

import json
import math
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
from features import alpha_features, read_yahoo_csv  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SAMPLE = os.path.join(ROOT, "node_modules", "vega-datasets", "data", "sp500-2000.csv")
OUT = os.path.join(ROOT, "tests", "fixtures", "features", "alpha-v1.json")


def synthetic(n: int = 260, seed: int = 20240601) -> pd.DataFrame:
    """A stock with the awkward cases: a 2:1 split (adjClose != close), missing and zero volume,
    and a halted stretch of identical bars (constant windows make several features undefined)."""
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2015-01-02", periods=n)
    close = 40 * np.exp(np.cumsum(rng.normal(0.0003, 0.015, n)))
    open_ = close * np.exp(rng.normal(0, 0.004, n))
    high = np.maximum(open_, close) * (1 + rng.uniform(0, 0.01, n))
    low = np.minimum(open_, close) * (1 - rng.uniform(0, 0.01, n))
    volume = np.round(rng.uniform(5e5, 3e6, n))
    halt = slice(150, 175)
    close[halt] = open_[halt] = high[halt] = low[halt] = close[149]
    volume[halt] = volume[149]
    volume[40:43] = 0
    volume[90] = np.nan
    volume[200:235] = np.nan
    # Prices before the split are reported raw; adjClose divides them by 2.
    adj = close.copy()
    adj[:120] = close[:120] / 2
    return pd.DataFrame(
        {
            "date": [d.strftime("%Y-%m-%d") for d in dates],
            "open": open_,
            "high": high,
            "low": low,
            "close": close,
            "adjClose": adj,
            "volume": volume,
        }
    )


def num(v: float) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def entry(symbol: str, df: pd.DataFrame) -> dict:
    feats = alpha_features(df)
    bars = [
        {
            "date": row.date,
            "open": float(row.open),
            "high": float(row.high),
            "low": float(row.low),
            "close": float(row.close),
            "adjClose": float(row.adjClose),
            "volume": num(row.volume),
        }
        for row in df.itertuples(index=False)
    ]
    return {
        "symbol": symbol,
        "bars": bars,
        "features": {name: [num(v) for v in feats[name].to_numpy(float)] for name in feats.columns},
    }


def main() -> None:
    sp = read_yahoo_csv(SAMPLE).iloc[:360].reset_index(drop=True)
    fixture = {
        "featureSet": "alpha@1",
        "generatedBy": f"bench/reference/make_feature_fixture.py with pandas {pd.__version__}, numpy {np.__version__}",
        "relativeTolerance": 1e-9,
        "series": [entry("^GSPC", sp), entry("SYN", synthetic())],
    }
    with open(OUT, "w") as fh:
        json.dump(fixture, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT) / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
