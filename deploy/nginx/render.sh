#!/bin/sh
# Renders deploy/nginx/stockops.conf.template in the nginx container of deploy/compose.yaml, where the image runs
# it from /docker-entrypoint.d before nginx starts. The same placeholders and the same variables as
# scripts/services/nginx.sh, which renders it for local processes: STOCKOPS_REPLICAS (host:port,...: the pools'
# services; a name with several replicas resolves to all of them, each with its pool's weight),
# NGINX_PREDICT_WEIGHTS (7,3) and NGINX_TRAIN_WEIGHTS (3,7) for the replicas in that order (1 past the list),
# NGINX_MAX_FAILS (2), NGINX_FAIL_TIMEOUT (5s), NGINX_PROXY_TIMEOUT (35s), NGINX_WORKERS (auto), NGINX_PORT (80),
# NGINX_ACCESS_LOG (/dev/stdout), NGINX_UI_ROOT (/usr/share/stockops/ui), NGINX_USER (nginx), NGINX_PREFIX
# (/var/cache/nginx: pid, temp files, the error log linked to stderr); TEMPLATE and OUT name the files.
# POSIX sh and busybox awk: the alpine image has no bash.
set -eu

TEMPLATE="${TEMPLATE:-/etc/nginx/stockops.conf.template}"
OUT="${OUT:-/etc/nginx/nginx.conf}"
PREFIX="${NGINX_PREFIX:-/var/cache/nginx}"
: "${STOCKOPS_REPLICAS:?STOCKOPS_REPLICAS=host:port,host:port names the API pools}"

servers() {
  echo "$STOCKOPS_REPLICAS" | tr ',' '\n' | awk -v weights="$1" -v fails="${NGINX_MAX_FAILS:-2}" \
    -v timeout="${NGINX_FAIL_TIMEOUT:-5s}" '
    BEGIN { n = split(weights, w, ",") }
    NF { i++; printf "    server %s weight=%s max_fails=%s fail_timeout=%s;\n", $0, (i <= n && w[i] != "" ? w[i] : 1), fails, timeout }'
}

mkdir -p "$PREFIX/tmp"
# The image's own error log goes to the container's stderr; so does this one (NGINX_LOG_TO_STDERR=0: a file).
if [ "${NGINX_LOG_TO_STDERR:-1}" = 1 ]; then
  ln -sf /dev/stderr "$PREFIX/error.log"
fi

USER_LINE="user ${NGINX_USER:-nginx};" PREFIX_V="$PREFIX" LISTEN_V="${NGINX_PORT:-80}" \
  PREDICT="$(servers "${NGINX_PREDICT_WEIGHTS:-7,3}")" TRAIN="$(servers "${NGINX_TRAIN_WEIGHTS:-3,7}")" \
  API="$(servers "")" TIMEOUT="${NGINX_PROXY_TIMEOUT:-35s}" WORKERS="${NGINX_WORKERS:-auto}" \
  ACCESS="${NGINX_ACCESS_LOG:-/dev/stdout}" UI="${NGINX_UI_ROOT:-/usr/share/stockops/ui}" \
  MIME="${NGINX_MIME_TYPES:-/etc/nginx/mime.types}" \
  awk '{
    gsub(/\{\{USER\}\}/, ENVIRON["USER_LINE"]); gsub(/\{\{PREFIX\}\}/, ENVIRON["PREFIX_V"]);
    gsub(/\{\{LISTEN\}\}/, ENVIRON["LISTEN_V"]); gsub(/\{\{PREDICT_SERVERS\}\}/, ENVIRON["PREDICT"]);
    gsub(/\{\{TRAIN_SERVERS\}\}/, ENVIRON["TRAIN"]); gsub(/\{\{API_SERVERS\}\}/, ENVIRON["API"]);
    gsub(/\{\{PROXY_TIMEOUT\}\}/, ENVIRON["TIMEOUT"]); gsub(/\{\{WORKERS\}\}/, ENVIRON["WORKERS"]);
    gsub(/\{\{ACCESS_LOG\}\}/, ENVIRON["ACCESS"]); gsub(/\{\{UI_ROOT\}\}/, ENVIRON["UI"]);
    gsub(/\{\{MIME_TYPES\}\}/, ENVIRON["MIME"]); print
  }' "$TEMPLATE" >"$OUT"

if grep -v '^ *#' "$OUT" | grep -q '{{'; then
  echo "render.sh: placeholders left in $OUT: $(grep -v '^ *#' "$OUT" | grep -o '{{[A-Z_]*}}' | sort -u | tr '\n' ' ')" >&2
  exit 1
fi
echo "render.sh: $OUT from $TEMPLATE for $STOCKOPS_REPLICAS" >&2
