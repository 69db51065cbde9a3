#!/usr/bin/env bash
# The deploy files' static checks, run by `npm run check`: actionlint on the workflows, helm lint and template on
# the chart, compose-go loading deploy/compose.yaml in both profiles, nginx -t on the rendered template and promtool
# on the Prometheus files. The Go tools are built into
# .services/bin on first use (scripts/services/go-tools.sh); tests/deploy asserts what the rendered files hold.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t tools < <(scripts/services/go-tools.sh actionlint helm compose-check)
actionlint="${tools[0]}"
helm="${tools[1]}"
compose_check="${tools[2]}"

"$actionlint" -no-color .github/workflows/*.yml
echo "check-deploy: actionlint ok (.github/workflows)"

"$helm" lint --strict deploy/helm/stockops >/dev/null
"$helm" template stockops deploy/helm/stockops >/dev/null
echo "check-deploy: helm lint and template ok (deploy/helm/stockops)"

for profile in core full; do
  "$compose_check" -f deploy/compose.yaml -env-file deploy/.env.example -profile "$profile" >/dev/null
done
echo "check-deploy: compose-go loads deploy/compose.yaml (profiles core, full)"

# The nginx template, rendered as scripts/services/nginx.sh renders it for local processes, through nginx -t.
scripts/services/nginx.sh check 2>&1 | sed 's/^services: nginx: /check-deploy: /'
# Prometheus's configuration and alert rules (issue 16's files) through promtool.
promtool check config deploy/prometheus/prometheus.yml >/dev/null
promtool check rules deploy/prometheus/alerts.yml >/dev/null
promtool test rules deploy/prometheus/alerts.test.yml >/dev/null
echo "check-deploy: promtool check config, check rules and test rules ok (deploy/prometheus)"
