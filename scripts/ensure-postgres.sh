#!/usr/bin/env bash
# Make sure PostgreSQL answers on 127.0.0.1:5432, starting the local cluster if needed.
# Exits non-zero when it is still not reachable.
set -uo pipefail

host=127.0.0.1
port=5432

ready() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$host" -p "$port" -t 3
    else
        psql -w -h "$host" -p "$port" -U postgres -d postgres -Atqc 'select 1' </dev/null >/dev/null 2>&1
    fi
}

if ready; then
    echo "ensure-postgres: PostgreSQL is up on $host:$port"
    exit 0
fi

echo "ensure-postgres: PostgreSQL not reachable on $host:$port; trying to start it"
if command -v pg_ctlcluster >/dev/null 2>&1 && [[ -d /etc/postgresql ]]; then
    for version in $(ls /etc/postgresql); do
        pg_ctlcluster --skip-systemctl-redirect "$version" main start </dev/null || true
    done
else
    echo "ensure-postgres: no pg_ctlcluster or /etc/postgresql; cannot start a cluster" >&2
fi

for _ in $(seq 30); do
    if ready; then
        echo "ensure-postgres: PostgreSQL is up on $host:$port"
        exit 0
    fi
    sleep 1
done
echo "ensure-postgres: ERROR: PostgreSQL is still not reachable on $host:$port" >&2
exit 1
