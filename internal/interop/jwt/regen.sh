#!/usr/bin/env bash
# Rewrites usertoken/testdata/interop/*.json from a fresh Node + Go run.
exec "$(dirname "${BASH_SOURCE[0]}")/check.sh" --write
