#!/usr/bin/env bash
# The whole suite twice, side by side (one run per core): on SQLite, and on PostgreSQL
# (TEST_DATABASE=postgresql) when a server answers on 127.0.0.1:5432; each run has its own temp folder.
set -uo pipefail
cd "$(dirname "$0")/.."
postgres_answers() {
  .venv/bin/python -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 2).close()' 2>/dev/null
}
with_postgres=${NHACVIEC_TEST_POSTGRES:-}
if [ -z "$with_postgres" ]; then
  if postgres_answers; then with_postgres=yes; else with_postgres=no; fi
fi
logs=$(mktemp -d)
# With PostgreSQL, each run takes only its own database's variant of a test written for both.
only_sqlite=$([ "$with_postgres" = yes ] && echo sqlite || true)
TEST_DATABASE=$only_sqlite .venv/bin/pytest -p no:cacheprovider --basetemp="$logs/tmp-sqlite" "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_run=$!
if [ "$with_postgres" = yes ]; then
  TEST_DATABASE=postgresql .venv/bin/pytest -p no:cacheprovider --basetemp="$logs/tmp-postgresql" "$@" \
    >"$logs/postgresql.log" 2>&1 &
  postgres_run=$!
else
  echo "PostgreSQL does not answer on 127.0.0.1:5432: the suite runs on SQLite only"
fi
status=0
wait "$sqlite_run" || status=1
echo "== the suite on SQLite"; tail -n 25 "$logs/sqlite.log"
if [ "$with_postgres" = yes ]; then
  wait "$postgres_run" || status=1
  echo "== the suite on PostgreSQL (TEST_DATABASE=postgresql)"; tail -n 25 "$logs/postgresql.log"
fi
if [ $status = 0 ]; then rm -rf "$logs"; else echo "whole logs: $logs"; fi
exit $status
