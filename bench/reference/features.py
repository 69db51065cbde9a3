"""pandas reference for stockops' `alpha@1` feature set (src/core/features/alpha-set.ts).

Written independently from the TypeScript, in the idiomatic vectorised pandas/numpy style a Python user
would write, so that agreement between the two is evidence of correctness. Used to produce the committed
fixture tests/fixtures/features/alpha-v1.json and as the pandas side of `npm run bench:models`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

LOOKBACK = 60
WINDOWS = (5, 10, 20, 60)
RETURN_LAGS = (1, 2, 3, 5, 10, 20)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def _constant(x: pd.Series, w: int, min_periods: int | None = None) -> pd.Series:
    # Same rule as rolling.ts: a window whose (valid) values are all equal has no spread; tested exactly.
    roll = x.rolling(w, min_periods=min_periods)
    return roll.max() == roll.min()


def _ewm_weights(alpha: float, w: int) -> np.ndarray:
    raw = (1 - alpha) ** np.arange(w, dtype=float)
    return raw / raw.sum()


def _ewm_window(x: pd.Series, alpha: float, w: int) -> pd.Series:
    """EWM mean (adjust=True) of each trailing window of w values."""
    out = np.full(len(x), np.nan)
    if len(x) >= w:
        out[w - 1 :] = sliding_window_view(x.to_numpy(float), w) @ _ewm_weights(alpha, w)[::-1]
    return pd.Series(out, index=x.index)


def _bars_since_extreme(x: pd.Series, w: int, sign: int) -> pd.Series:
    out = np.full(len(x), np.nan)
    if len(x) >= w:
        win = sliding_window_view(sign * x.to_numpy(float), w)[:, ::-1]
        out[w - 1 :] = np.argmax(win, axis=1)  # first in reversed order: the most recent extreme
    return pd.Series(out, index=x.index)


def _corr(x: pd.Series, y: pd.Series, w: int) -> pd.Series:
    return x.rolling(w).corr(y).mask(_constant(x, w) | _constant(y, w))


def alpha_features(df: pd.DataFrame) -> pd.DataFrame:
    """df: columns date, open, high, low, close, adjClose, volume (NaN when missing), one row per bar."""
    c = df["adjClose"].astype(float)
    k = c / df["close"]
    o, h, l = df["open"] * k, df["high"] * k, df["low"] * k
    r = np.log(c / c.shift(1))
    rng = (h - l) / c
    lv = np.log(df["volume"].where(df["volume"] > 0))
    f: dict[str, pd.Series] = {}

    f["kmid"] = (c - o) / o
    f["klen"] = (h - l) / o
    f["kup"] = (h - np.maximum(o, c)) / o
    f["klow"] = (np.minimum(o, c) - l) / o
    f["ksft"] = (2 * c - h - l) / o
    f["gap"] = np.log(o / c.shift(1))
    for lag in RETURN_LAGS:
        f[f"ret_{lag}"] = np.log(c / c.shift(lag))
    for w in WINDOWS:
        rr = r.rolling(w)
        f[f"ret_mean_{w}"] = rr.mean()
        f[f"ret_std_{w}"] = rr.std()
        f[f"ret_min_{w}"] = rr.min()
        f[f"ret_max_{w}"] = rr.max()
        f[f"ret_q20_{w}"] = rr.quantile(0.2)
        f[f"ret_q80_{w}"] = rr.quantile(0.8)
        f[f"range_mean_{w}"] = rng.rolling(w).mean()
        f[f"range_std_{w}"] = rng.rolling(w).std()
        f[f"range_max_{w}"] = rng.rolling(w).max()
        f[f"close_sma_{w}"] = c / c.rolling(w).mean() - 1
        f[f"close_ema_{w}"] = c / _ewm_window(c, 2 / (w + 1), LOOKBACK) - 1

    d = c.diff()
    gains = sliding_window_view(d.clip(lower=0).to_numpy(float), LOOKBACK)
    losses = sliding_window_view((-d).clip(lower=0).to_numpy(float), LOOKBACK)
    wts = _ewm_weights(1 / 14, LOOKBACK)[::-1]
    g = np.full(len(c), np.nan)
    ls = np.full(len(c), np.nan)
    g[LOOKBACK - 1 :] = gains @ wts
    ls[LOOKBACK - 1 :] = losses @ wts
    tot = g + ls
    with np.errstate(invalid="ignore", divide="ignore"):
        f["rsi_14"] = pd.Series(np.where(tot > 0, g / tot - 0.5, np.where(np.isnan(tot), np.nan, 0.0)), index=c.index)

    macd = (_ewm_window(c, 2 / 13, 40) - _ewm_window(c, 2 / 27, 40)) / c
    signal = _ewm_window(macd, 0.2, 20)
    f["macd"] = macd
    f["macd_signal"] = signal
    f["macd_hist"] = macd - signal

    m20, sd20 = c.rolling(20).mean(), c.rolling(20).std()
    f["bb_pct_20"] = ((c - m20) / (4 * sd20)).where(4 * sd20 > 0).mask(_constant(c, 20))
    tr = pd.concat([h - l, (h - c.shift(1)).abs(), (l - c.shift(1)).abs()], axis=1).max(axis=1, skipna=False)
    f["atr_14"] = tr.rolling(14).mean() / c
    hh, ll = h.rolling(14).max(), l.rolling(14).min()
    f["stoch_k_14"] = ((c - ll) / (hh - ll)).where(hh - ll > 0) - 0.5
    for w in (20, 60):
        f[f"high_age_{w}"] = _bars_since_extreme(h, w, 1) / w
        f[f"low_age_{w}"] = _bars_since_extreme(l, w, -1) / w

    f["pv_corr_20"] = _corr(r, lv, 20)
    f["pv_corr_60"] = _corr(r, lv, 60)
    f["pv_cord_20"] = _corr(r, lv.diff(), 20)
    for w in (5, 20, 60):
        roll = lv.rolling(w, min_periods=-(-w // 2))
        m, sd = roll.mean(), roll.std()
        f[f"volume_z_{w}"] = ((lv - m) / sd).mask(_constant(lv, w, 1))
    dow = pd.to_datetime(df["date"]).dt.dayofweek
    for i, name in enumerate(WEEKDAYS):
        f[f"dow_{name}"] = (dow == i).astype(float)
    out = pd.DataFrame(f)
    return out.replace([np.inf, -np.inf], np.nan)


def read_yahoo_csv(path: str) -> pd.DataFrame:
    raw = pd.read_csv(path)
    raw.columns = [c.strip().lower().replace(" ", "").replace("_", "") for c in raw.columns]
    return pd.DataFrame(
        {
            "date": raw["date"].astype(str),
            "open": raw["open"].astype(float),
            "high": raw["high"].astype(float),
            "low": raw["low"].astype(float),
            "close": raw["close"].astype(float),
            "adjClose": raw["adjclose"].astype(float),
            "volume": pd.to_numeric(raw["volume"], errors="coerce").astype(float),
        }
    )
