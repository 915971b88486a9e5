#!/usr/bin/env bash
# `scripts/need.sh TARGET PACKAGE...`: the Debian packages a make target needs outside the venv.
# Nothing missing: silent, exit 0. Missing and root: apt-get update once, then apt-get install.
# Missing and not root (or no apt-get): one line naming the command to run, exit 1.
#   make test        → chromium (browser tests), postgresql (tests/postgres)
#   make bench       → wrk (the throughput row)
#   make image-test  → podman, runc, debootstrap (tests/image)
# NEED_PG_GLOB (tests only) replaces where Debian keeps PostgreSQL's server programs.
set -euo pipefail
target="$1"
shift

present() {
  case "$1" in
    # Debian installs the server programs outside PATH (tests/support/postgres.py looks there too).
    postgresql)
      command -v pg_ctl >/dev/null 2>&1 && return 0
      compgen -G "${NEED_PG_GLOB:-/usr/lib/postgresql/*/bin/pg_ctl}" >/dev/null
      ;;
    # runc and debootstrap live in /usr/sbin, which a user's PATH may lack.
    runc | debootstrap) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

missing=()
for package in "$@"; do
  present "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$EUID" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "make $target needs ${missing[*]}: run \`sudo apt-get update && sudo apt-get install -y ${missing[*]}\` (Debian), then make $target again." >&2
  exit 1
fi

echo "make $target: installing ${missing[*]} (Debian packages)..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
for package in "${missing[@]}"; do
  present "$package" || { echo "make $target: $package is still missing after apt-get install." >&2; exit 1; }
done
