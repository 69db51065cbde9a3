"""The benchmark universe: tickers made by block-bootstrapping the S&P 500's daily bars, mirroring
bench/universe.ts draw for draw (same Mulberry32 generator and seed), so both sides train on the same data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def mulberry32(seed: int):
    a = seed & 0xFFFFFFFF

    def imul(x: int, y: int) -> int:
        return (x * y) & 0xFFFFFFFF

    def rand() -> float:
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return rand


def universe_bars(src: pd.DataFrame, k: int, u: dict) -> pd.DataFrame:
    """Ticker k: blocks of `blockLength` consecutive S&P days, prices rebuilt from their returns."""
    c = src["adjClose"].to_numpy(float)
    o = src["open"].to_numpy(float) / src["close"].to_numpy(float)
    hi = src["high"].to_numpy(float) / src["close"].to_numpy(float)
    lo = src["low"].to_numpy(float) / src["close"].to_numpy(float)
    vol = src["volume"].to_numpy(float)
    rand = mulberry32(u["seed"] + k)
    n, L, days = len(c), u["blockLength"], u["days"]
    picks: list[int] = []
    while len(picks) < days:
        start = 1 + math.floor(rand() * (n - 1 - L))
        picks.extend(range(start, start + L))
    picks = picks[:days]
    close = np.empty(days)
    level = 100.0
    for i, s in enumerate(picks):
        level = level * math.exp(math.log(c[s] / c[s - 1]))
        close[i] = level
    idx = np.array(picks)
    dates = pd.bdate_range("2000-01-03", periods=days).strftime("%Y-%m-%d")
    return pd.DataFrame(
        {
            "date": dates,
            "open": close * o[idx],
            "high": close * hi[idx],
            "low": close * lo[idx],
            "close": close,
            "adjClose": close,
            "volume": vol[idx],
        }
    )
