"""Runs Evidently itself (legacy DataDriftPreset) on the drift fixture and compares its choice of test, score
and verdict with the fixture's expected values (written by drift_reference.py). Not part of any test:
Evidently is heavy, so this runs by hand in a throwaway venv of its own:

    python3 -m venv /tmp/venv-evidently && /tmp/venv-evidently/bin/pip install evidently==0.7.23 "pandas<3"
    /tmp/venv-evidently/bin/python bench/reference/crosscheck_evidently.py

Prints one line per case that differs, and a summary.
"""

from __future__ import annotations

import json
import math
import os
import warnings

import numpy as np
import pandas as pd
from evidently.legacy.metric_preset import DataDriftPreset
from evidently.legacy.pipeline.column_mapping import ColumnMapping
from evidently.legacy.report import Report

warnings.filterwarnings("ignore")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NAMES = {
    "K-S p_value": "ks",
    "Wasserstein distance (normed)": "wasserstein",
    "chi-square p_value": "chisquare",
    "Z-test p_value": "z",
    "Jensen-Shannon distance": "jensenshannon",
    "PSI": "psi",
}


def series(c: dict) -> pd.Series:
    v = c["values"]
    if c["dtype"] == "float":
        return pd.Series([np.nan if x is None else float(x) for x in v], dtype=float)
    if c["dtype"] == "int":
        return pd.Series(v, dtype=np.int64)
    if c["dtype"] == "bool":
        return pd.Series(v, dtype=object if None in v else bool)
    return pd.Series(v, dtype=object)


def evidently_column(ref: pd.Series, cur: pd.Series, options: dict, stattest=None, threshold=None):
    mapping = ColumnMapping(categorical_features=["x"] if options.get("kind") == "categorical" else None)
    preset = DataDriftPreset(
        per_column_stattest={"x": stattest} if stattest else None,
        per_column_stattest_threshold={"x": threshold} if threshold is not None else None,
    )
    report = Report(metrics=[preset])
    report.run(reference_data=pd.DataFrame({"x": ref}), current_data=pd.DataFrame({"x": cur}), column_mapping=mapping)
    table = report.as_dict()["metrics"][1]["result"]["drift_by_columns"]["x"]
    return NAMES[table["stattest_name"]], float(table["drift_score"]), bool(table["drift_detected"])


def number(v):
    return {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}.get(v, v) if isinstance(v, str) else v


def main() -> None:
    cases = json.load(open(os.path.join(ROOT, "tests", "fixtures", "drift", "columns.json")))["cases"]
    differ = 0
    for c in cases:
        exp = c["expected"]
        ref, cur = series(c["ref"]), series(c["cur"])
        opts = c["options"]
        try:
            test, score, drift = evidently_column(ref, cur, opts, opts.get("test"), opts.get("threshold"))
            ours = number(exp.get("pValue", exp["statistic"]))
            same_score = (ours is None and score is None) or math.isclose(score, ours, rel_tol=1e-9, abs_tol=1e-12)
            psi_name, psi, psi_drift = evidently_column(ref, cur, opts, "psi", opts.get("psiThreshold"))
            same_psi = math.isclose(psi, number(exp["psi"]["statistic"]), rel_tol=1e-9, abs_tol=1e-12)
            if test != exp["test"] or drift != exp["drift"] or not same_score or not same_psi or psi_drift != exp["psi"]["drift"]:
                differ += 1
                print(f"DIFFERS {c['name']}: evidently {test} {score} drift={drift} psi={psi}; "
                      f"fixture {exp['test']} {ours} drift={exp['drift']} psi={exp['psi']['statistic']}")
        except Exception as e:  # Evidently refuses some inputs the fixture covers
            differ += 1
            print(f"EVIDENTLY FAILED {c['name']}: {type(e).__name__}: {e}")
    print(f"{len(cases) - differ} of {len(cases)} cases agree with Evidently (test, score to 1e-9, verdict, PSI)")


if __name__ == "__main__":
    main()
