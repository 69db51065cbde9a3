#!/usr/bin/env bash
# Builds the Go test tools the deploy checks use into .services/bin (cached by version): actionlint (GitHub
# Actions lint), helm (chart lint and template) and compose-check (tools/compose-check: compose-go, the loader
# Docker Compose uses). Test tools only, never product code. Usage: scripts/services/go-tools.sh [NAME...]
# prints the path of each tool, one per line, building the missing ones first (the first build takes minutes).
set -euo pipefail
cd "$(dirname "$0")/../.."

ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
HELM_VERSION="${HELM_VERSION:-v3.22.0}"
BIN="$PWD/.services/bin"

log() { echo "go-tools.sh: $*" >&2; }

need_go() {
  if ! command -v go >/dev/null 2>&1; then
    log "the Go toolchain is needed to build $1 (a test tool): install Go 1.24 or newer"
    exit 1
  fi
}

# go install MODULE@VERSION into .services/bin, once per version (a marker file records the version built).
install() {
  local name="$1" module="$2" version="$3"
  local marker="$BIN/.$name-$version"
  if [[ -x "$BIN/$name" && -f "$marker" ]]; then
    return 0
  fi
  need_go "$name"
  log "building $name $version with go install"
  mkdir -p "$BIN"
  GOBIN="$BIN" GOFLAGS="${GOFLAGS:-} -trimpath" go install "$module@$version" >&2
  rm -f "$BIN/.$name-"*
  touch "$marker"
}

# The project's own tool: rebuilt when its sources change (the marker is the hash of main.go, go.mod, go.sum).
compose_check() {
  local src="tools/compose-check"
  local hash
  hash="$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-16)"
  local marker="$BIN/.compose-check-$hash"
  if [[ -x "$BIN/compose-check" && -f "$marker" ]]; then
    return 0
  fi
  need_go compose-check
  log "building compose-check (compose-go) from $src"
  mkdir -p "$BIN"
  (cd "$src" && GOFLAGS="${GOFLAGS:-} -trimpath" go build -o "$BIN/compose-check" .) >&2
  rm -f "$BIN/.compose-check-"*
  touch "$marker"
}

tools=("$@")
if [[ ${#tools[@]} -eq 0 ]]; then
  tools=(actionlint helm compose-check)
fi
for t in "${tools[@]}"; do
  case "$t" in
    actionlint) install actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" ;;
    helm) install helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" ;;
    compose-check) compose_check ;;
    *)
      log "unknown tool $t (known: actionlint, helm, compose-check)"
      exit 2
      ;;
  esac
  echo "$BIN/$t"
done
