#!/usr/bin/env bash
# The pre-commit hooks' entry (.pre-commit-hooks.yaml, `language: script`): pre-commit runs it from its
# clone of this repository with the user's repository as the working directory. The first run
# installs the clone's npm dependencies and builds dist/cli.js there (about a minute); later runs
# start the CLI directly. Arguments are passed to `paperlens scan`.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ ! -f "$here/dist/cli.js" ]; then
  echo "paperlens: building the CLI in $here (first run only)" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2 && node esbuild.config.mjs >&2)
fi
exec node "$here/dist/cli.js" scan "$@"
