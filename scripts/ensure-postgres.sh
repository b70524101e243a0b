#!/usr/bin/env bash
# Make a PostgreSQL server answer on 127.0.0.1:5432 with trust auth and a database `test`, as the
# test suite expects: use one that already answers; else start an installed cluster; else install
# one with apt (needs root). Prints what it did; never fails the build itself — the PostgreSQL
# tests fail loudly if the server is still unreachable.
set -u
HOST=127.0.0.1
PORT=5432

answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$HOST" -p "$PORT" -t 3
  else
    (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi
}

start_cluster() {
  command -v pg_ctlcluster >/dev/null 2>&1 || return 1
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || return 1
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
    || as_root pg_ctlcluster "$version" main start
}

trust_local() {
  # Trust auth on loopback for the test database only; a fresh cluster asks for passwords.
  local version hba
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
}

if answers; then
  echo "postgres: answering on $HOST:$PORT"
  exit 0
fi
echo "postgres: not answering on $HOST:$PORT; trying to start or install it"
if ! start_cluster; then
  if command -v apt-get >/dev/null 2>&1 && as_root true; then
    as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
    start_cluster || true
  fi
fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  trust_local
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster "$version" main reload 2>/dev/null || true
fi
for _ in $(seq 1 30); do answers && break; sleep 1; done
if answers; then
  as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='test'\" | grep -q 1 || createdb test" 2>/dev/null || true
  echo "postgres: started on $HOST:$PORT"
else
  echo "postgres: NOT AVAILABLE on $HOST:$PORT — the PostgreSQL tests will fail (set SYNTHWATCH_TEST_POSTGRES_URL to use another server)" >&2
fi
exit 0
