#!/usr/bin/env bash
# Nightly dump of Nhắc Việc's PostgreSQL database, with rotation (deploy/nhacviec-backup.timer).
#   backup.sh [DATABASE] [FOLDER] [KEEP_DAYS]   defaults: nhacviec /var/backups/nhacviec 14
# Custom format (pg_restore reads it, compressed); written under a temporary name, then renamed, so a
# half-written dump is never taken for a good one. Connection: the usual PG* variables or the local socket.
set -euo pipefail
database=${1:-nhacviec}
folder=${2:-/var/backups/nhacviec}
keep_days=${3:-14}
umask 077
mkdir -p "$folder"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$folder/$database-$stamp.dump"
pg_dump --format=custom --no-owner --file="$target.part" "$database"
mv "$target.part" "$target"
# Rotation: dumps older than KEEP_DAYS go, but the newest one always stays.
find "$folder" -maxdepth 1 -name "$database-*.dump" -mtime +"$keep_days" ! -newer "$target" ! -samefile "$target" -delete
echo "$target"
