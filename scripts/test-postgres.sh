#!/usr/bin/env bash
# Run the whole suite a second time against a PostgreSQL server on 127.0.0.1.
# As root the server is installed (Debian's postgresql) and started when missing; each test then gets a fresh
# database created from the LMS_TEST_DATABASE_URL server (see tests/conftest.py).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test-postgres: PostgreSQL is not installed; run: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
    pg_createcluster "$version" main >/dev/null
  fi
  pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='lms_test'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE lms_test LOGIN CREATEDB PASSWORD 'lms_test'\""
# Dropping a test database WITH (FORCE) must also end an autovacuum worker that happens to be in it.
su postgres -c "psql -qc \"SET client_min_messages = warning; GRANT pg_signal_backend TO lms_test\"" >/dev/null

echo "test-postgres: running the suite against PostgreSQL $version"
LMS_TEST_DATABASE_URL="postgresql://lms_test:lms_test@127.0.0.1:5432/postgres" .venv/bin/pytest -q
