#!/usr/bin/env bash
# Creates the project-local Python venv for benchmarks and the feature fixture: .venv-bench/ (gitignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
if [ ! -x .venv-bench/bin/python ]; then
  "$PY" -m venv .venv-bench
fi
.venv-bench/bin/pip install --quiet --upgrade pip
.venv-bench/bin/pip install --quiet numpy==2.4.6 pandas==3.1.1 scikit-learn==1.9.1 scipy==1.17.1
# The original stack's serving path for `npm run bench:serve` (bench/reference/serve_reference.py).
.venv-bench/bin/pip install --quiet fastapi==0.165.0 uvicorn==0.54.0
# LightGBM is optional: the benchmark reports it when it installs.
.venv-bench/bin/pip install --quiet lightgbm==4.7.0 || echo "lightgbm not installed; the benchmark will skip it"
