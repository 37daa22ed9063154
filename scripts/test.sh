#!/usr/bin/env bash
# The project's one test command: ./scripts/test.sh [dotnet test arguments, e.g. --filter ...]
#
# Provisions what the tests need on a fresh Debian 12 machine (PostgreSQL, Node.js and the
# pinned Redocly CLI of tools/openapi-lint), starts a throwaway PostgreSQL cluster in a temp dir on
# 127.0.0.1, runs `dotnet test Cluster.sln`, always stops the cluster and deletes the temp dir, and
# ends with one summary line:
#   tests: N passed, N failed, N skipped
#
# Environment:
#   GOVERNANCE_TEST_POSTGRES  use this server (an Npgsql connection string) and provision nothing
#   GOVERNANCE_TEST_PG_PORT   port for the throwaway cluster (default 55432, or the next free one)
#   GOVERNANCE_TEST_REDOCLY   set by this script: the Redocly CLI that lints the OpenAPI document
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

log() { printf 'test.sh: %s\n' "$*" >&2; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root to run: $*"
        return 1
    fi
}

find_pg_bindir() {
    local initdb
    initdb="$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n $initdb ]]; then
        dirname "$initdb"
    fi
}

# --- packages -------------------------------------------------------------------------------------
install_missing_packages() {
    local missing=()
    if [[ -z ${GOVERNANCE_TEST_POSTGRES:-} && -z $(find_pg_bindir) ]]; then
        missing+=(postgresql)
    fi
    if ! command -v npm >/dev/null 2>&1; then
        missing+=(nodejs npm)
    fi
    if [[ ${#missing[@]} -gt 0 ]]; then
        log "installing ${missing[*]}"
        as_root apt-get update
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    fi
}

# The OpenAPI linter, pinned by tools/openapi-lint/package-lock.json. The installed tree is kept in
# tools/openapi-lint/node_modules with a copy of the lock file it was installed from; `npm ci` runs
# again only when the lock file changed.
install_openapi_lint() {
    local dir="$repo_root/tools/openapi-lint"
    local stamp="$dir/node_modules/.installed-package-lock.json"
    if ! cmp -s "$dir/package-lock.json" "$stamp" || [[ ! -x $dir/node_modules/.bin/redocly ]]; then
        log "installing the OpenAPI linter (npm ci in tools/openapi-lint)"
        npm ci --prefix "$dir" --no-audit --no-fund >&2
        cp "$dir/package-lock.json" "$stamp"
    fi
    export GOVERNANCE_TEST_REDOCLY="$dir/node_modules/.bin/redocly"
}

# --- throwaway cluster ----------------------------------------------------------------------------
pg_tmp=""
pg_bindir=""
pg_started=0

run_pg() {
    # The server refuses to run as root: run the cluster's tools as the postgres user then.
    if [[ $(id -u) -eq 0 ]]; then
        (cd "$pg_tmp" && runuser -u postgres -- "$@")
    else
        (cd "$pg_tmp" && "$@")
    fi
}

port_in_use() {
    # A successful TCP connect means something is listening.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1
}

choose_port() {
    local port="${GOVERNANCE_TEST_PG_PORT:-55432}"
    if [[ -n ${GOVERNANCE_TEST_PG_PORT:-} ]]; then
        if port_in_use "$port"; then
            log "GOVERNANCE_TEST_PG_PORT=$port is already in use"
            return 1
        fi
        echo "$port"
        return 0
    fi
    local candidate
    for ((candidate = port; candidate < port + 100; candidate++)); do
        if ! port_in_use "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    log "no free port in $port..$((port + 99))"
    return 1
}

stop_cluster() {
    if [[ $pg_started -eq 1 ]]; then
        run_pg "$pg_bindir/pg_ctl" -D "$pg_tmp/data" -m fast -w stop >/dev/null 2>&1 \
            || run_pg "$pg_bindir/pg_ctl" -D "$pg_tmp/data" -m immediate -w stop >/dev/null 2>&1 \
            || log "could not stop the test cluster in $pg_tmp"
        pg_started=0
    fi
    if [[ -n $pg_tmp && -d $pg_tmp ]]; then
        rm -rf "$pg_tmp"
    fi
    pg_tmp=""
}

start_cluster() {
    pg_bindir="$(find_pg_bindir)"
    if [[ -z $pg_bindir ]]; then
        log "initdb not found under /usr/lib/postgresql/*/bin"
        return 1
    fi

    local port
    port="$(choose_port)"
    pg_tmp="$(mktemp -d "${TMPDIR:-/tmp}/governance-pg.XXXXXX")"
    if [[ $(id -u) -eq 0 ]]; then
        if ! id postgres >/dev/null 2>&1; then
            useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
        fi
        chown postgres: "$pg_tmp"
    fi

    log "starting PostgreSQL ($pg_bindir) on 127.0.0.1:$port in $pg_tmp"
    run_pg "$pg_bindir/initdb" -D "$pg_tmp/data" -U postgres -A trust -E UTF8 --no-locale >"$pg_tmp/initdb.log" 2>&1 || {
        cat "$pg_tmp/initdb.log" >&2
        return 1
    }
    # fsync=off and friends: a throwaway cluster needs no durability, only speed.
    run_pg "$pg_bindir/pg_ctl" -D "$pg_tmp/data" -l "$pg_tmp/postgres.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$pg_tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500" \
        >/dev/null || {
        cat "$pg_tmp/postgres.log" >&2 || true
        return 1
    }
    pg_started=1

    local attempt
    for ((attempt = 0; attempt < 60; attempt++)); do
        if "$pg_bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
            break
        fi
        sleep 0.5
    done
    "$pg_bindir/pg_isready" -h 127.0.0.1 -p "$port" -U postgres >/dev/null || {
        log "PostgreSQL did not become ready"
        cat "$pg_tmp/postgres.log" >&2 || true
        return 1
    }
    "$pg_bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres governance_test

    export GOVERNANCE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=governance_test;Max Auto Prepare=50"
}

test_output=""
cleanup() {
    stop_cluster
    if [[ -n $test_output ]]; then
        rm -f "$test_output"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

install_missing_packages
install_openapi_lint
if [[ -n ${GOVERNANCE_TEST_POSTGRES:-} ]]; then
    log "using GOVERNANCE_TEST_POSTGRES; not provisioning a cluster"
else
    start_cluster
fi

# --- tests ----------------------------------------------------------------------------------------
test_output="$(mktemp "${TMPDIR:-/tmp}/governance-test-output.XXXXXX")"
set +e
dotnet test Cluster.sln "$@" 2>&1 | tee "$test_output"
test_exit=${PIPESTATUS[0]}
set -e

# Sum the per-project summaries, e.g. "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ...".
summary="$(sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' "$test_output" | awk '
    /(Passed|Failed)!  *- *Failed: *[0-9]+, *Passed: *[0-9]+, *Skipped: *[0-9]+/ {
        line = $0
        sub(/.*(Passed|Failed)! *- */, "", line)
        n = split(line, parts, ",")
        for (i = 1; i <= n; i++) {
            field = parts[i]
            gsub(/^ +| +$/, "", field)
            split(field, kv, ": *")
            if (kv[1] == "Failed") { failed += kv[2] }
            else if (kv[1] == "Passed") { passed += kv[2] }
            else if (kv[1] == "Skipped") { skipped += kv[2] }
        }
    }
    END { printf "tests: %d passed, %d failed, %d skipped\n", passed, failed, skipped }')"

stop_cluster
echo "$summary"
exit "$test_exit"
