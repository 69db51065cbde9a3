"""Python side of `npm run bench:models`: scikit-learn Ridge and HistGradientBoostingRegressor (and LightGBM
when installed) on the feature matrix written by bench/models.ts, pandas feature timing, and the universe run.

Reads <dir>/meta.json, <dir>/X.f64, <dir>/y.f64 (row-major little-endian float64) and prints one JSON object.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
from features import LOOKBACK, alpha_features, read_yahoo_csv  # noqa: E402
from universe import universe_bars  # noqa: E402

from sklearn.ensemble import HistGradientBoostingRegressor  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

try:
    import lightgbm  # noqa: E402
except ImportError:  # LightGBM is optional
    lightgbm = None


def hgbr(g: dict) -> HistGradientBoostingRegressor:
    return HistGradientBoostingRegressor(
        max_iter=g["maxIter"],
        learning_rate=g["learningRate"],
        max_leaf_nodes=g["maxLeafNodes"],
        min_samples_leaf=g["minSamplesLeaf"],
        l2_regularization=g["l2Regularization"],
        max_bins=g["maxBins"],
        early_stopping=False,
        random_state=0,
    )


def lgbm(g: dict):
    return lightgbm.LGBMRegressor(
        n_estimators=g["maxIter"],
        learning_rate=g["learningRate"],
        num_leaves=g["maxLeafNodes"],
        min_child_samples=g["minSamplesLeaf"],
        reg_lambda=g["l2Regularization"],
        max_bin=g["maxBins"],
        subsample=1.0,
        colsample_bytree=1.0,
        verbose=-1,
        random_state=0,
    )


def walk_forward(make, X: np.ndarray, y: np.ndarray, folds: list[dict]) -> dict:
    fit_s = 0.0
    preds = np.empty(0)
    actual = np.empty(0)
    for f in folds:
        model = make()
        t = time.perf_counter()
        model.fit(X[f["trainStart"] : f["trainEnd"]], y[f["trainStart"] : f["trainEnd"]])
        fit_s += time.perf_counter() - t
        p = model.predict(X[f["testStart"] : f["testEnd"]])
        preds = np.concatenate([preds, p])
        actual = np.concatenate([actual, y[f["testStart"] : f["testEnd"]]])
    return {
        "fitSeconds": fit_s,
        "rmse": float(math.sqrt(np.mean((preds - actual) ** 2))),
        "predictions": preds.tolist(),
    }


def main() -> None:
    d = sys.argv[1]
    meta = json.load(open(os.path.join(d, "meta.json")))
    n, p = meta["n"], meta["p"]
    X = np.fromfile(os.path.join(d, "X.f64"), dtype="<f8").reshape(n, p)
    y = np.fromfile(os.path.join(d, "y.f64"), dtype="<f8")
    folds = meta["folds"]
    g = meta["gbdt"]
    out: dict = {
        "versions": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "sklearn": __import__("sklearn").__version__,
            "lightgbm": lightgbm.__version__ if lightgbm else None,
        }
    }

    df = read_yahoo_csv(meta["csv"])
    times = []
    for _ in range(meta["repeats"]):
        t = time.perf_counter()
        alpha_features(df)
        times.append(time.perf_counter() - t)
    out["pandasFeatureSeconds"] = float(np.median(times))

    out["ridge"] = walk_forward(
        lambda: make_pipeline(StandardScaler(), Ridge(alpha=meta["ridgeAlpha"])), X, y, folds
    )
    out["hgbr"] = walk_forward(lambda: hgbr(g), X, y, folds)
    # The same fits on one OpenMP thread: on a small, shared machine thread start-up and contention
    # can make the default slower, and the faster of the two is the fair reference.
    with threadpool_limits(limits=1, user_api="openmp"):
        out["hgbr1"] = walk_forward(lambda: hgbr(g), X, y, folds)
        # Sensitivity to the bin count: the same fits with fewer bins, on both sides alike.
        coarse = {**g, "maxBins": meta["coarseBins"]}
        out["hgbrCoarse1"] = walk_forward(lambda: hgbr(coarse), X, y, folds)
    out["lightgbm"] = walk_forward(lambda: lgbm(g), X, y, folds) if lightgbm else None

    u = meta["universe"]
    h = meta["horizon"]
    # The universe runs with whichever thread setting fitted the walk-forward faster.
    one_thread = out["hgbr1"]["fitSeconds"] < out["hgbr"]["fitSeconds"]
    out["universeThreads"] = "1" if one_thread else "default"
    with threadpool_limits(limits=1 if one_thread else None, user_api="openmp"):
        t = time.perf_counter()
        for k in range(u["tickers"]):
            bars = universe_bars(df, k, u)
            feats = alpha_features(bars).to_numpy(float)
            c = bars["adjClose"].to_numpy(float)
            labels = np.log(c[LOOKBACK + h :] / c[LOOKBACK : len(c) - h])
            hgbr(g).fit(feats[LOOKBACK : len(c) - h], labels)
        out["universeSeconds"] = time.perf_counter() - t
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
