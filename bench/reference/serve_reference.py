"""The original stack's serving path, as the reference of `npm run bench:serve` (row f).

FastAPI + uvicorn (one worker, as each of the original containers ran), the pandas `alpha@1` features of
bench/reference/features.py on the bars a request needs, and a scikit-learn ridge loaded once at start (fitted on
the same bundled S&P 500 the TypeScript server trains on, log return of the adjusted close one day ahead). The
bars stay in memory (a pandas frame read once), so the reference pays no database read per request: stockops'
row (c) still reads its bars from the store (one read shared by the requests that arrive together).

Usage: .venv-bench/bin/python bench/reference/serve_reference.py CSV PORT
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd
import uvicorn
from fastapi import FastAPI, HTTPException
from sklearn.linear_model import Ridge

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from features import LOOKBACK, alpha_features, read_yahoo_csv  # noqa: E402

# Rows a live forecast reads: the feature set's look-back plus a margin, as stockops' servingFrom does.
WINDOW = LOOKBACK + 45


def train(df: pd.DataFrame, horizon: int) -> tuple[Ridge, pd.Series, list[str], float]:
    feats = alpha_features(df)
    c = df["adjClose"].astype(float)
    y = np.log(c.shift(-horizon) / c)
    rows = feats.iloc[LOOKBACK:-horizon]
    target = y.iloc[LOOKBACK:-horizon]
    medians = rows.median()
    model = Ridge(alpha=1.0).fit(rows.fillna(medians), target)
    resid = np.abs(target - model.predict(rows.fillna(medians)))
    return model, medians, list(rows.columns), float(np.quantile(resid, 0.8))


def build(path: str) -> FastAPI:
    bars = read_yahoo_csv(path)
    models = {h: train(bars, h) for h in (1,)}
    app = FastAPI()

    @app.get("/health")
    def health() -> dict:
        return {"status": "ok"}

    @app.get("/predict")
    def predict(ticker: str = "^GSPC", horizon: int = 1) -> dict:
        if ticker.upper() != "^GSPC":
            raise HTTPException(404, f"unknown ticker {ticker}")
        if horizon not in models:
            raise HTTPException(404, f"no model for horizon {horizon}")
        model, medians, columns, q80 = models[horizon]
        tail = bars.iloc[-WINDOW:].reset_index(drop=True)
        live = alpha_features(tail).iloc[[-1]][columns].fillna(medians)
        r = float(model.predict(live)[0])
        last = float(tail["close"].iloc[-1])
        return {
            "ticker": "^GSPC",
            "asOf": str(tail["date"].iloc[-1]),
            "horizon": horizon,
            "lastClose": last,
            "predictedReturn": r,
            "predictedClose": last * math.exp(r),
            "interval": [{"level": 0.8, "lower": last * math.exp(r - q80), "upper": last * math.exp(r + q80)}],
        }

    return app


if __name__ == "__main__":
    uvicorn.run(build(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
