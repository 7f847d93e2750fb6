#!/usr/bin/env bash
# The PostgreSQL tests need a server at 127.0.0.1:5432. Start the local cluster if it is down;
# if it still is not there, fail (a missing service is a failure, never a skip).
set -euo pipefail
if pg_isready -q -h 127.0.0.1 -p 5432; then
  exit 0
fi
if [ -d /etc/postgresql ]; then
  echo "PostgreSQL is down; starting the local cluster"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
    sleep 1
  done
fi
echo "error: PostgreSQL is not reachable at 127.0.0.1:5432" >&2
exit 1
