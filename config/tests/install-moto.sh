#!/usr/bin/env bash
# Installs moto's server (pinned) into a scratch virtualenv for the
# credentials tests and botogen-tests' S3 tests (s3_moto):
# `install-moto.sh VENV_DIR`. Idempotent; concurrent
# callers wait on a lock. `.ci/run` calls it before the tests, and the
# tests call it when the virtualenv is missing.
set -euo pipefail
venv="${1:?usage: install-moto.sh VENV_DIR}"
version=5.2.5
marker="$venv/.botogen-moto-$version"
[ -f "$marker" ] && exit 0
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
[ -f "$marker" ] && exit 0
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$version"
touch "$marker"
