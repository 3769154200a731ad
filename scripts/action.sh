#!/usr/bin/env bash
# The steps of gomend's GitHub Action (action.yml), runnable outside GitHub too:
#
#   scripts/action.sh run       install gomend from the action's own checkout if needed, run
#                               `gomend --check --format sarif`, write the SARIF file and the step
#                               outputs `exit-code` and `sarif-file` to $GITHUB_OUTPUT
#   scripts/action.sh verdict   fail when gomend has fixes to apply (exit code 1) or could not
#                               process a file (3), from $GOMEND_EXIT
#
# Inputs come from the environment (action.yml maps its inputs there): GOMEND_PATH, GOMEND_TRANSFORMS,
# GOMEND_ARGS, GOMEND_VERSION, GOMEND_SARIF, GOMEND_ACTION_PATH (the action's checkout; default: the
# directory above this script). Anything that fails before gomend runs ends the step with one
# `::error::` line saying what to do.
set -uo pipefail

action_path="${GOMEND_ACTION_PATH:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

die() {
  echo "::error::$1"
  exit "${2:-2}"
}

# Prints a log file folded into a group, for a failure whose details are in it.
show_log() {
  echo "::group::$1"
  head -n 25 "$2" | sed 's/^::/: :/'
  echo "::endgroup::"
}

# Sets the array `gomend` to the command that runs gomend, installing it from the action's checkout.
find_gomend() {
  command -v node >/dev/null 2>&1 || die "gomend needs Node.js 20 or later on PATH (add actions/setup-node before this action)"
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)" || die "could not run node"
  [ "$major" -ge 20 ] 2>/dev/null || die "gomend needs Node.js 20 or later; node on PATH is $(node --version 2>/dev/null) (add actions/setup-node with node-version: 20)"

  if [ -n "${GOMEND_VERSION:-}" ]; then
    # An explicit version is taken from the npm registry.
    command -v npx >/dev/null 2>&1 || die "version: ${GOMEND_VERSION} needs npx (npm) on PATH"
    gomend=(npx --yes "gomend@${GOMEND_VERSION}")
    return
  fi

  [ -f "$action_path/package.json" ] || die "no gomend checkout at $action_path (GOMEND_ACTION_PATH); use the action as uses: <owner>/gomend@<ref>"
  # A built checkout (gomend's own CI, or a second use of the action in one job) runs as is.
  if [ ! -f "$action_path/dist/src/cli.js" ] || [ ! -d "$action_path/node_modules/yargs" ]; then
    command -v npm >/dev/null 2>&1 || die "installing gomend from $action_path needs npm on PATH"
    local log
    log="$(mktemp)"
    echo "Installing gomend from $action_path"
    # --ignore-scripts: gomend needs no dependency's install script (tree-sitter runs as WebAssembly);
    # the build runs on its own below. Optional dependencies are tools of gomend's own tests.
    if ! (cd "$action_path" && npm ci --include=dev --omit=optional --ignore-scripts --no-audit --no-fund --no-progress) >"$log" 2>&1; then
      show_log "npm ci output" "$log"
      die "could not install gomend's dependencies in $action_path (npm ci failed; its output is above)"
    fi
    if ! (cd "$action_path" && node scripts/build.mjs) >"$log" 2>&1; then
      show_log "build output" "$log"
      die "could not build gomend in $action_path (node scripts/build.mjs failed; its output is above)"
    fi
    rm -f "$log"
  fi
  gomend=(node "$action_path/bin/gomend.js")
}

run_step() {
  local sarif="${GOMEND_SARIF:-gomend.sarif}"
  : "${GITHUB_OUTPUT:=/dev/null}"
  find_gomend
  # Split on spaces and newlines; `read -d ''` reads every line, and its status 1 at the end is fine.
  local extra=() paths=() selected=()
  read -r -d '' -a extra <<< "${GOMEND_ARGS:-}"
  read -r -d '' -a paths <<< "${GOMEND_PATH:-.}"
  if [ -n "${GOMEND_TRANSFORMS:-}" ]; then selected=(--transform "$GOMEND_TRANSFORMS"); fi
  mkdir -p "$(dirname "$sarif")" || die "could not create the directory of $sarif"
  # ${a[@]+"${a[@]}"} expands an empty array to nothing under `set -u`, in old bash too.
  "${gomend[@]}" --check --format sarif ${extra[@]+"${extra[@]}"} ${paths[@]+"${paths[@]}"} ${selected[@]+"${selected[@]}"} > "$sarif"
  local code=$?
  echo "exit-code=$code" >> "$GITHUB_OUTPUT"
  echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
  # 0, 1 and 3 come with a complete SARIF file; anything else (2: bad arguments) does not.
  case "$code" in
    0|1|3) ;;
    *) die "gomend failed with exit code $code" "$code" ;;
  esac
  node -e 'try { JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")) } catch { process.exit(1) }' "$sarif" \
    || die "gomend did not write a SARIF file to $sarif"
}

verdict_step() {
  case "${GOMEND_EXIT:-}" in
    0) exit 0 ;;
    1) echo "::error::gomend has fixes to apply: run gomend --write and commit the result" ;;
    '') echo "::error::gomend did not run (see the step above)"; exit 2 ;;
    *) echo "::error::gomend could not process some files (exit code $GOMEND_EXIT): see the log above" ;;
  esac
  exit "$GOMEND_EXIT"
}

case "${1:-}" in
  run) run_step ;;
  verdict) verdict_step ;;
  *) echo "usage: scripts/action.sh run|verdict" >&2; exit 2 ;;
esac
