#!/usr/bin/env bash
# The project's benchmark command: ./bench/run.sh
#
# Installs what it needs when missing (wrk, postgresql), publishes the silo and the
# driver in Release, starts a throwaway PostgreSQL (fsync on) as the postgres user, measures
# (a) verify vs /health/live, (b) committed transitions vs pgbench, (c) memory per warm activation,
# (d) silo start to ready, (e) drift observation to verify denial and drift stream ingest, (f) verify
# through the standalone gateway against the co-hosted one, (g) failover and expiry lag on a cluster of
# three silo processes, (h) verify and writes spread over three silos against one, and writes the
# table to bench/results/latest.md. Every figure is a ratio
# against a baseline measured in the same run, or an absolute target; see bench/README.md.
#
# Environment (defaults in brackets):
#   BENCH_PG_PORT [55440]  BENCH_SILO_PORT [18080] (HTTP)  BENCH_ORLEANS_SILO_PORT [21111]  BENCH_ORLEANS_GATEWAY_PORT [31000]
#   BENCH_GATEWAY_PORT [18090] (HTTP of the standalone gateway)
#   BENCH_DURATION [15s]  BENCH_WARMUP [5s]
#   BENCH_CONNECTIONS [64]  BENCH_LOW_CONNECTIONS [4]  BENCH_VERIFY_MODELS [1000]  BENCH_BATCH_SIZE [100]
#   BENCH_PGBENCH_SECONDS [20]  BENCH_WRITE_MODELS [3000]  BENCH_WRITE_WORKERS [16]  BENCH_WRITE_WARMUP [20]
#   BENCH_MEMORY_MODELS [100000]  BENCH_STARTUP_RUNS [5]
#   BENCH_DRIFT_MODELS [200]  BENCH_INGEST_MODELS [300]  BENCH_INGEST_CONNECTIONS [32]  BENCH_INGEST_SECONDS [10]  BENCH_INGEST_WARMUP [60]
#   BENCH_FAILOVER_KILLS [10]  BENCH_FAILOVER_MODELS [90] (fresh models per kill)
#   BENCH_EXPIRY_APPROVALS [10000]  BENCH_EXPIRY_WINDOW [60] (seconds)  BENCH_SPREAD_WRITE_MODELS [1500]
#   (the cluster phases g and h put silo i on BENCH_SILO_PORT + 1 + i, BENCH_ORLEANS_SILO_PORT + 1 + i, BENCH_ORLEANS_GATEWAY_PORT + 1 + i)
#   BENCH_PHASES ["a b c d e f g h"]  which measurements to run
#   BENCH_OUTPUT [bench/results/latest.md]  the table; the raw files go beside it in <name>-raw/
#   BENCH_PG_CONNECTION_OPTIONS  appended to the silo's Npgsql connection string (experiments)
#   BENCH_PG_STAT_STATEMENTS [0]  1: load pg_stat_statements and keep its view of the ingest window in the raw files
#   BENCH_PREVIOUS [bench/results/home-made-runtime.md]  an earlier table whose figures are shown beside the new ones
#   BENCH_PREVIOUS_LABEL ["home-made runtime (8c82199)"]  that column's heading
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

pg_port="${BENCH_PG_PORT:-55440}"
silo_port="${BENCH_SILO_PORT:-18080}"
# The Orleans silo-to-silo and client gateway ports, always on 127.0.0.1; not Orleans' defaults
# (11111 / 30000), which a test cluster or a development silo on this machine may hold.
orleans_silo_port="${BENCH_ORLEANS_SILO_PORT:-21111}"
orleans_gateway_port="${BENCH_ORLEANS_GATEWAY_PORT:-31000}"
gateway_port="${BENCH_GATEWAY_PORT:-18090}"
duration="${BENCH_DURATION:-15s}"
warmup="${BENCH_WARMUP:-5s}"
connections="${BENCH_CONNECTIONS:-64}"
low_connections="${BENCH_LOW_CONNECTIONS:-4}"
verify_models="${BENCH_VERIFY_MODELS:-1000}"
batch_size="${BENCH_BATCH_SIZE:-100}"
pgbench_seconds="${BENCH_PGBENCH_SECONDS:-20}"
write_models="${BENCH_WRITE_MODELS:-3000}"
write_workers="${BENCH_WRITE_WORKERS:-16}"
write_warmup="${BENCH_WRITE_WARMUP:-20}"
memory_models="${BENCH_MEMORY_MODELS:-100000}"
startup_runs="${BENCH_STARTUP_RUNS:-5}"
drift_models="${BENCH_DRIFT_MODELS:-200}"
ingest_models="${BENCH_INGEST_MODELS:-300}"
ingest_connections="${BENCH_INGEST_CONNECTIONS:-32}"
ingest_seconds="${BENCH_INGEST_SECONDS:-10}"
ingest_warmup="${BENCH_INGEST_WARMUP:-60}"
failover_kills="${BENCH_FAILOVER_KILLS:-10}"
failover_models="${BENCH_FAILOVER_MODELS:-90}"
expiry_approvals="${BENCH_EXPIRY_APPROVALS:-10000}"
expiry_window="${BENCH_EXPIRY_WINDOW:-60}"
spread_write_models="${BENCH_SPREAD_WRITE_MODELS:-1500}"
phases="${BENCH_PHASES:-a b c d e f g h}"
output="${BENCH_OUTPUT:-bench/results/latest.md}"
pg_stat_statements=""
[[ ${BENCH_PG_STAT_STATEMENTS:-0} == 1 ]] && pg_stat_statements=1
previous="${BENCH_PREVIOUS:-bench/results/home-made-runtime.md}"
previous_label="${BENCH_PREVIOUS_LABEL:-home-made runtime (8c82199)}"

silo_url="http://127.0.0.1:$silo_port"
gateway_url="http://127.0.0.1:$gateway_port"
registry_header='Authorization: Bearer dev-registry-token'
monitor_header='Authorization: Bearer dev-monitor-token'

log() { printf '\nbench: %s\n' "$*" >&2; }

# --- packages -------------------------------------------------------------------------------------
find_pg_bindir() {
    local initdb
    initdb="$(ls -1 /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -n $initdb ]]; then
        dirname "$initdb"
    fi
}

install_missing_packages() {
    local missing=()
    command -v wrk >/dev/null 2>&1 || missing+=(wrk)
    if [[ -z $(find_pg_bindir) ]]; then
        missing+=(postgresql)
    fi
    if [[ ${#missing[@]} -gt 0 ]]; then
        log "installing ${missing[*]}"
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
    fi
}

# --- cleanup --------------------------------------------------------------------------------------
work=""
pg_dir=""
pg_bindir=""
pg_started=0
silo_pid=""

stop_silo() {
    if [[ -n $silo_pid ]]; then
        kill "$silo_pid" 2>/dev/null || true
        wait "$silo_pid" 2>/dev/null || true
        silo_pid=""
    fi
}

gateway_pid=""
stop_gateway() {
    if [[ -n $gateway_pid ]]; then
        kill "$gateway_pid" 2>/dev/null || true
        wait "$gateway_pid" 2>/dev/null || true
        gateway_pid=""
    fi
}

# The silos of a bench cluster (phase h), started by start_cluster_silo.
cluster_pids=()
stop_cluster() {
    local pid
    for pid in "${cluster_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${cluster_pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    cluster_pids=()
}

cleanup() {
    local status=$?
    stop_gateway
    stop_silo
    stop_cluster
    # A failed run keeps what it gathered (silo logs included) beside the table for a post-mortem.
    if [[ $status -ne 0 && -n $work && -d $work/results ]]; then
        rm -rf "${output%.md}-raw" && mkdir -p "$(dirname "$output")" && cp -r "$work/results" "${output%.md}-raw" \
            && log "run failed (exit $status); logs and partial results in ${output%.md}-raw"
    fi
    if [[ $pg_started -eq 1 ]]; then
        (cd "$pg_dir" && runuser -u postgres -- "$pg_bindir/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1) \
            || log "could not stop PostgreSQL in $pg_dir"
        pg_started=0
    fi
    [[ -n $pg_dir && -d $pg_dir ]] && rm -rf "$pg_dir"
    [[ -n $work && -d $work ]] && rm -rf "$work"
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") >/dev/null 2>&1; }

# --- build ----------------------------------------------------------------------------------------
install_missing_packages
pg_bindir="$(find_pg_bindir)"
cluster_ports=()
for i in 1 2 3; do
    cluster_ports+=("$((silo_port + i))" "$((orleans_silo_port + i))" "$((orleans_gateway_port + i))")
done
for port in "$pg_port" "$silo_port" "$orleans_silo_port" "$orleans_gateway_port" "$gateway_port" "${cluster_ports[@]}"; do
    if port_in_use "$port"; then
        log "port $port is in use (set BENCH_PG_PORT / BENCH_SILO_PORT / BENCH_ORLEANS_SILO_PORT / BENCH_ORLEANS_GATEWAY_PORT / BENCH_GATEWAY_PORT)"
        exit 1
    fi
done

work="$(mktemp -d "${TMPDIR:-/tmp}/governance-bench.XXXXXX")"
results="$work/results"
mkdir -p "$results"
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"

log "publishing the silo and the driver (Release)"
dotnet publish src/Silo -c Release -o "$work/silo" --nologo -v quiet
dotnet publish bench/Governance.Bench/Governance.Bench.csproj -c Release -o "$work/driver" --nologo -v quiet
silo_exe="$work/silo/Governance.Silo"
if [[ " $phases " == *" f "* ]]; then
    dotnet publish src/Gateway.Host -c Release -o "$work/gateway" --nologo -v quiet
fi
gateway_exe="$work/gateway/Governance.Gateway.Host"
driver() { "$work/driver/Governance.Bench" "$@"; }

# --- PostgreSQL -----------------------------------------------------------------------------------
if ! id postgres >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres
fi
pg_dir="$(mktemp -d "${TMPDIR:-/tmp}/governance-bench-pg.XXXXXX")"
chown postgres: "$pg_dir"
as_postgres() { (cd "$pg_dir" && runuser -u postgres -- "$@"); }

log "starting PostgreSQL ($pg_bindir) on 127.0.0.1:$pg_port, fsync on"
as_postgres "$pg_bindir/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 --no-locale >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; exit 1; }
as_postgres "$pg_bindir/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 start -o \
    "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$pg_dir -c shared_buffers=256MB -c max_connections=200${pg_stat_statements:+ -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all}" \
    >/dev/null || { cat "$pg_dir/postgres.log" >&2; exit 1; }
pg_started=1
postmaster_pid="$(head -n 1 "$pg_dir/data/postmaster.pid")"
pg() { "$pg_bindir/$1" -h 127.0.0.1 -p "$pg_port" -U postgres "${@:2}"; }
pg createdb pgbench
pg createdb governance
# pg_connection_for DATABASE: the silos' Npgsql connection string.
pg_connection_for() { echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1${BENCH_PG_CONNECTION_OPTIONS:+;$BENCH_PG_CONNECTION_OPTIONS}"; }
pg_connection="$(pg_connection_for governance)"

# --- silo -----------------------------------------------------------------------------------------
# The Orleans endpoints of every silo the bench starts (one at a time): loopback, the bench's ports.
orleans_env=(Orleans__Endpoints__SiloPort="$orleans_silo_port" Orleans__Endpoints__GatewayPort="$orleans_gateway_port"
    Orleans__Endpoints__AdvertisedIPAddress=127.0.0.1)

# wait_ready URL PID LOG WHAT: until URL/health/ready answers 200; exits the run when PID ends or a minute passes.
wait_ready() {
    local url="$1" pid="$2" process_log="$3" what="$4" attempt
    for ((attempt = 0; attempt < 600; attempt++)); do
        if curl -fsS -o /dev/null "$url/health/ready" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        sleep 0.1
    done
    log "$what did not become ready"
    tail -n 40 "$process_log" >&2
    exit 1
}

# start_silo LOG [KEY=VALUE ...]: the published silo (an Orleans silo with the co-hosted gateway),
# Development environment, HTTP on $silo_url, Orleans on 127.0.0.1:$orleans_silo_port / $orleans_gateway_port.
start_silo() {
    local silo_log="$1"
    shift
    # From its own directory, as deploy/Dockerfile runs it (WORKDIR /app); the silo reads its
    # appsettings.json (log levels) from beside its binary either way.
    (cd "$(dirname "$silo_exe")" && exec env ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$silo_url" "${orleans_env[@]}" "$@" "$silo_exe") >"$silo_log" 2>&1 &
    silo_pid=$!
    wait_ready "$silo_url" "$silo_pid" "$silo_log" "the silo"
}

# The ports of silo I of a bench cluster: HTTP, Orleans silo, Orleans gateway (each base port + 1 + I).
cluster_url() { echo "http://127.0.0.1:$((silo_port + 1 + $1))"; }
cluster_driver_ports=(--http-port "$((silo_port + 1))" --silo-port "$((orleans_silo_port + 1))" --gateway-port "$((orleans_gateway_port + 1))")

# launch_cluster_silo I CLUSTER DATABASE LOG: silo I of cluster CLUSTER on PostgreSQL, not waited for.
launch_cluster_silo() {
    local index="$1" cluster="$2" database="$3" silo_log="$4"
    (cd "$(dirname "$silo_exe")" && exec env ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$(cluster_url "$index")" \
        Orleans__Endpoints__SiloPort="$((orleans_silo_port + 1 + index))" Orleans__Endpoints__GatewayPort="$((orleans_gateway_port + 1 + index))" \
        Orleans__Endpoints__AdvertisedIPAddress=127.0.0.1 Orleans__ClusterId="$cluster" \
        Governance__Storage__Provider=postgres ConnectionStrings__Governance="$(pg_connection_for "$database")" "$silo_exe") >"$silo_log" 2>&1 &
    cluster_pids+=($!)
}

# start_cluster N CLUSTER DATABASE: N silos of one cluster, the first alone (it applies the migrations).
start_cluster() {
    local count="$1" cluster="$2" database="$3" i
    launch_cluster_silo 0 "$cluster" "$database" "$results/$cluster-silo-0.log"
    wait_ready "$(cluster_url 0)" "${cluster_pids[0]}" "$results/$cluster-silo-0.log" "silo 0 of $cluster"
    for ((i = 1; i < count; i++)); do
        launch_cluster_silo "$i" "$cluster" "$database" "$results/$cluster-silo-$i.log"
    done
    for ((i = 1; i < count; i++)); do
        wait_ready "$(cluster_url "$i")" "${cluster_pids[$i]}" "$results/$cluster-silo-$i.log" "silo $i of $cluster"
    done
}

# run_wrk NAME DURATION MODE [ARGS...]: wrk with the common script; the summary lands in $results/NAME.json.
run_wrk() {
    local name="$1" length="$2" path
    shift 2
    case "$1" in
        live) path="/health/live" ;;
        verify) path="/v1/models" ;;
        batch) path="/v1/verify" ;;
    esac
    cpu_sample "$name-cpu-before"
    WRK_REPORT="$results/$name.json" wrk -t2 -c"$connections" -d"$length" --latency -H "$registry_header" \
        -s bench/wrk/governance.lua "${target_url:-$silo_url}$path" -- "$@" | tee "$results/$name.wrk.txt"
    cpu_sample "$name-cpu-after"
}

# cpu_sample NAME: CPU used so far by the running silo and by PostgreSQL, into $results/NAME.json.
cpu_sample() {
    driver cpu ${silo_pid:+--silo-pid "$silo_pid"} --postmaster-pid "$postmaster_pid" --out "$results/$1.json" >/dev/null
}

# --- (a) verify vs /health/live, memory provider ----------------------------------------------------
phase_a() {
    log "(a) verify vs /health/live: $verify_models deployed models, memory provider"
    start_silo "$results/silo-memory.log"
    driver setup-verify --url "$silo_url" --models "$verify_models" --workers 16 --ids "$work/models.txt"
    local first_model
    first_model="$(head -n 1 "$work/models.txt")"
    curl -fsS -H "$registry_header" \
        "$silo_url/v1/models/${first_model% *}/verify?environment=production&scope=eu&weights_hash=${first_model#* }" \
        | grep -q '"allowed":true' || { log "verify does not allow the deployed model"; exit 1; }

    run_wrk warmup-live "$warmup" live >/dev/null
    run_wrk warmup-verify "$warmup" verify "$work/models.txt" >/dev/null
    run_wrk warmup-batch "$warmup" batch "$work/models.txt" "$batch_size" >/dev/null
    run_wrk live "$duration" live
    run_wrk verify "$duration" verify "$work/models.txt"
    run_wrk batch "$duration" batch "$work/models.txt" "$batch_size"
    # The baseline once more: how far the machine drifted while verify ran.
    run_wrk live-after "$duration" live
    # Diagnostics: live and verify at few connections, where latency is service time, not queueing.
    connections="$low_connections" run_wrk live-low "$duration" live
    connections="$low_connections" run_wrk verify-low "$duration" verify "$work/models.txt"
    stop_silo
}

# --- (b) committed transitions vs pgbench ---------------------------------------------------------
# run_pgbench NAME: pgbench -N into $results/NAME.json ({tps, transactions}) with CPU samples around it.
run_pgbench() {
    local name="$1" tps processed
    cpu_sample "$name-cpu-before"
    pg pgbench -N -c 8 -j 2 -T "$pgbench_seconds" pgbench | tee "$results/$name.txt"
    cpu_sample "$name-cpu-after"
    tps="$(awk '/^tps = / { value = $3 } END { print value }' "$results/$name.txt")"
    processed="$(awk '/^number of transactions actually processed:/ { print $6 }' "$results/$name.txt")"
    [[ -n $tps && -n $processed ]] || { log "no TPS in the pgbench output"; exit 1; }
    printf '{"tps": %s, "transactions": %s}\n' "$tps" "$processed" >"$results/$name.json"
}

phase_b() {
    log "(b) pgbench -N -c 8 -j 2 -T $pgbench_seconds (scale 10)"
    pg pgbench -i -s 10 -q pgbench >"$results/pgbench-init.txt" 2>&1
    run_pgbench pgbench

    log "(b) signature, signature, deploy on PostgreSQL: $write_models models, $write_workers workers"
    start_silo "$results/silo-postgres.log" Governance__Storage__Provider=postgres ConnectionStrings__Governance="$pg_connection"
    driver transitions --url "$silo_url" --models "$write_models" --workers "$write_workers" --warmup-seconds "$write_warmup" \
        --silo-pid "$silo_pid" --postmaster-pid "$postmaster_pid" --out "$results/transitions.json"
    stop_silo

    # The baseline once more: how far the machine drifted during the measurement.
    log "(b) pgbench again, as a drift check"
    run_pgbench pgbench-after

    # Diagnostic: the same transitions on the grains in process, without HTTP or PostgreSQL.
    driver transitions-inproc --models 2000 --out "$results/transitions-inproc.json"
}

# --- (e) drift to denial, drift stream ingest, PostgreSQL -----------------------------------------
phase_e() {
    log "(e) drift to denial ($drift_models models, one at a time) on PostgreSQL"
    start_silo "$results/silo-drift.log" Governance__Storage__Provider=postgres ConnectionStrings__Governance="$pg_connection"
    local ids="$results/ingest-ids.txt"
    driver drift --url "$silo_url" --models "$drift_models" --ingest-models "$ingest_models" --ingest-ids "$ids" --out "$results/drift.json"

    # The ingest window is driven by wrk, as (a) is: a load generator that costs the 2 cores little.
    log "(e) drift stream ingest: wrk -c$ingest_connections, ${ingest_warmup}s warm-up, ${ingest_seconds}s measured"
    wrk -t2 -c"$ingest_connections" -d"${ingest_warmup}s" -H "$monitor_header" -s bench/wrk/governance.lua "$silo_url/v1/models" -- drift "$ids" >/dev/null
    # The drain driver starts before the window ends and waits for the go file, so its own start-up
    # does not count as backlog.
    local go="$results/ingest-window-closed"
    driver drift-drain --url "$silo_url" --ingest-ids "$ids" --go "$go" --out "$results/drift-drain.json" &
    local drain_pid=$!
    if [[ -n $pg_stat_statements ]]; then
        pg psql -q -d governance -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
    fi
    cpu_sample ingest-cpu-before
    WRK_REPORT="$results/ingest.json" wrk -t2 -c"$ingest_connections" -d"${ingest_seconds}s" --latency -H "$monitor_header" \
        -s bench/wrk/governance.lua "$silo_url/v1/models" -- drift "$ids" | tee "$results/ingest.wrk.txt"
    touch "$go"
    cpu_sample ingest-cpu-after
    if [[ -n $pg_stat_statements ]]; then
        # The window's statements (the drain's marker round adds a little), costliest first.
        pg psql -d governance -c "SELECT calls, rows, round(total_exec_time::numeric, 1) AS ms, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS query
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 30" >"$results/ingest-statements.txt"
        # What a model's state row weighs, and how many of the run's updates were HOT (no index touched).
        pg psql -d governance -c "SELECT count(*) AS models, round(avg(octet_length(state::text))) AS state_text_bytes,
                round(avg(pg_column_size(state))) AS state_stored_bytes FROM grain_state WHERE grain_type = 'model'" \
            -c "SELECT relname, n_tup_upd, n_tup_hot_upd, n_tup_ins, n_tup_del, n_dead_tup FROM pg_stat_user_tables
                WHERE n_tup_upd + n_tup_ins > 0 ORDER BY relname" >>"$results/ingest-statements.txt"
    fi
    wait "$drain_pid"
    stop_silo

    # The ingest target is absolute, so the machine's speed right now is shown beside it.
    log "(e) pgbench, as a check of the machine's speed during this phase"
    if [[ ! -f $results/pgbench-init.txt ]]; then
        pg pgbench -i -s 10 -q pgbench >"$results/pgbench-init.txt" 2>&1
    fi
    run_pgbench pgbench-drift
}

# --- (f) verify through the standalone gateway, memory provider -----------------------------------
phase_f() {
    log "(f) verify through the standalone gateway vs co-hosted: $verify_models deployed models, memory provider"
    start_silo "$results/silo-standalone.log"
    driver setup-verify --url "$silo_url" --models "$verify_models" --workers 16 --ids "$work/models-f.txt"
    # The published gateway host, Development (the development tokens), on the silo's Orleans gateway port.
    (cd "$(dirname "$gateway_exe")" && exec env ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS="$gateway_url" \
        Governance__Client__Gateways__0="127.0.0.1:$orleans_gateway_port" "$gateway_exe") >"$results/gateway.log" 2>&1 &
    gateway_pid=$!
    wait_ready "$gateway_url" "$gateway_pid" "$results/gateway.log" "the standalone gateway"

    run_wrk warmup-f-cohosted "$warmup" verify "$work/models-f.txt" >/dev/null
    target_url="$gateway_url" run_wrk warmup-f-standalone "$warmup" verify "$work/models-f.txt" >/dev/null
    run_wrk f-verify-cohosted "$duration" verify "$work/models-f.txt"
    target_url="$gateway_url" run_wrk f-verify-standalone "$duration" verify "$work/models-f.txt"
    stop_gateway
    stop_silo
}

# --- (g) failover and expiry lag on three silo processes, PostgreSQL --------------------------------
# The driver starts, kills and restarts the silos itself (silo i on the cluster ports + i).
phase_g() {
    log "(g) failover: $failover_kills SIGKILLs of one of 3 silos, $failover_models fresh models per kill"
    pg createdb governance_failover
    driver cluster-failover --silo "$silo_exe" --connection "$(pg_connection_for governance_failover)" --cluster-id bench-failover \
        "${cluster_driver_ports[@]}" --log-dir "$results" --kills "$failover_kills" --models "$failover_models" --out "$results/g-failover.json"

    log "(g) expiry lag: $expiry_approvals approvals due within ${expiry_window}s on 3 silos"
    pg createdb governance_expiry
    driver cluster-expiry --silo "$silo_exe" --connection "$(pg_connection_for governance_expiry)" --cluster-id bench-expiry \
        "${cluster_driver_ports[@]}" --log-dir "$results" --approvals "$expiry_approvals" --window-seconds "$expiry_window" \
        --out "$results/g-expiry.json"

    # Diagnostic: the same with one silo killed a third into the window (its reminders move to the others).
    local kill_approvals=$((expiry_approvals / 2)) kill_window=$((expiry_window / 2))
    log "(g) expiry lag with a silo killed mid-window: $kill_approvals approvals due within ${kill_window}s"
    pg createdb governance_expiry_kill
    driver cluster-expiry --silo "$silo_exe" --connection "$(pg_connection_for governance_expiry_kill)" --cluster-id bench-expiry-kill \
        "${cluster_driver_ports[@]}" --log-dir "$results" --approvals "$kill_approvals" --window-seconds "$kill_window" \
        --kill-after-seconds "$((kill_window / 3))" --out "$results/g-expiry-kill.json"
}

# --- (h) verify and writes spread over three silos against one silo, PostgreSQL -------------------
# run_spread_wrk NAME DURATION N MODELS: wrk verify on each of the N silos at once, the connections
# shared out; one summary per silo in $results/NAME-I.json.
run_spread_wrk() {
    local name="$1" length="$2" count="$3" models="$4" i threads=1 pids=()
    [[ $count -eq 1 ]] && threads=2
    for ((i = 0; i < count; i++)); do
        WRK_REPORT="$results/$name-$i.json" wrk -t"$threads" -c"$((connections / count))" -d"$length" --latency -H "$registry_header" \
            -s bench/wrk/governance.lua "$(cluster_url "$i")/v1/models" -- verify "$models" >"$results/$name-$i.wrk.txt" &
        pids+=($!)
    done
    for i in "${pids[@]}"; do
        wait "$i"
    done
}

phase_h() {
    local count i urls
    for count in 1 3; do
        log "(h) verify and writes on $count silo(s) of one cluster, PostgreSQL"
        pg createdb "governance_spread$count"
        start_cluster "$count" "bench-spread$count" "governance_spread$count"
        urls=()
        for ((i = 0; i < count; i++)); do
            urls+=(--url "$(cluster_url "$i")")
        done
        driver setup-verify "${urls[@]}" --models "$verify_models" --workers 16 --ids "$work/models-h$count.txt" --prefix "spread$count"
        run_spread_wrk "h-warmup-$count" "$warmup" "$count" "$work/models-h$count.txt"
        run_spread_wrk "h-verify-$count" "$duration" "$count" "$work/models-h$count.txt"
        driver transitions "${urls[@]}" --models "$spread_write_models" --workers "$write_workers" --warmup-seconds 10 \
            --out "$results/h-transitions-$count.json"
        stop_cluster
    done
}

# --- (d) start to ready ---------------------------------------------------------------------------
phase_d() {
    log "(d) silo start to /health/ready, $startup_runs runs each"
    # One untimed start on PostgreSQL applies the migrations (a no-op when (b) already did).
    start_silo "$results/silo-migrate.log" Governance__Storage__Provider=postgres ConnectionStrings__Governance="$pg_connection"
    stop_silo
    local orleans_args=() pair
    for pair in "${orleans_env[@]}"; do
        orleans_args+=(--env "$pair")
    done
    driver startup --silo "$silo_exe" --url "$silo_url" --runs "$startup_runs" --label memory \
        --env ASPNETCORE_ENVIRONMENT=Development "${orleans_args[@]}" --log "$results/startup-memory.log" --out "$results/startup-memory.json"
    driver startup --silo "$silo_exe" --url "$silo_url" --runs "$startup_runs" --label postgres \
        --env ASPNETCORE_ENVIRONMENT=Development "${orleans_args[@]}" --env Governance__Storage__Provider=postgres \
        --env ConnectionStrings__Governance="$pg_connection" --log "$results/startup-postgres.log" --out "$results/startup-postgres.json"
}

# --- (c) memory per warm activation, in process ---------------------------------------------------
phase_c() {
    log "(c) managed memory per warm activation, $memory_models models, Orleans silo in process"
    driver memory --models "$memory_models" --out "$results/memory.json"
}

# Order: the servers' phases first, the CPU-heavy in-process one last.
for phase in a f b e h g d c; do
    if [[ " $phases " == *" $phase "* ]]; then
        "phase_$phase"
    fi
done

# --- report ---------------------------------------------------------------------------------------
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (modified)')"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average at start: $load_at_start, at end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "tools: .NET $(dotnet --version), $("$pg_bindir/postgres" --version), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
    echo "phases: $phases${BENCH_PG_CONNECTION_OPTIONS:+; connection options: $BENCH_PG_CONNECTION_OPTIONS}"
    echo "settings: wrk -t2 -c$connections -d$duration (after ${warmup} warm-ups; diagnostic run at -c$low_connections), $verify_models verify models, batch $batch_size; pgbench -T $pgbench_seconds; $write_models write models, $write_workers workers after ${write_warmup}s; $memory_models memory models; $startup_runs start runs; $drift_models drift models; ingest: wrk -c$ingest_connections over $ingest_models models for ${ingest_seconds}s after ${ingest_warmup}s; failover: $failover_kills kills, $failover_models models each; expiry: $expiry_approvals approvals within ${expiry_window}s; spread: $spread_write_models write models"
} >"$results/environment.txt"
raw="${output%.md}-raw"
mkdir -p "$(dirname "$output")"
rm -rf "$raw"
cp -r "$results" "$raw"
driver report --dir "$results" --out "$output" --batch-size "$batch_size" --low-connections "$low_connections" \
    --ingest-connections "$ingest_connections" --ingest-warmup "$ingest_warmup" \
    --previous "$previous" --previous-label "$previous_label"
