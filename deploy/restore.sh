#!/usr/bin/env bash
# Restore a dump made by backup.sh into a database (created when missing, emptied when present).
#   restore.sh DUMP [DATABASE]     DATABASE defaults to nhacviec
# Stop both services first (systemctl stop nhacviec-web nhacviec-worker), start them after.
set -euo pipefail
dump=${1:?usage: restore.sh DUMP [DATABASE]}
database=${2:-nhacviec}
pg_restore --list "$dump" >/dev/null  # a dump pg_restore can read, before anything is touched
if ! psql -XtAc "SELECT 1 FROM pg_database WHERE datname = '$database'" postgres | grep -q 1; then
  createdb "$database"
fi
pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname="$database" "$dump"
echo "restored $dump into $database"
