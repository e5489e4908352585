#!/bin/sh
# The image's command: a role (all, server, worker) or `cli <command> …` for operator commands.
set -e
if [ "$1" = "cli" ]; then
  shift
  exec node --enable-source-maps dist/src/cli/main.js "$@"
fi
exec node --enable-source-maps dist/src/main.js "$@"
