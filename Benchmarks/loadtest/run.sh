#!/usr/bin/env bash
# Jaan Connect load test: seed, start the release server, drive a realistic mix with wrk at 200
# connections, report rps/p50/p95/p99/errors/peak RSS, save under Benchmarks/results/, and exit
# non-zero when a threshold is missed. Then run the original's own test (ab, 200 concurrent, 1000
# requests, authenticated endpoint) for comparison.
#
# Usage: Benchmarks/loadtest/run.sh            (embedded PostgreSQL under Benchmarks/.loadtest)
#        DATABASE_URL=postgresql://... Benchmarks/loadtest/run.sh
# Knobs (defaults are the original deployment's promises):
#   CONNECTIONS=200 DURATION=30s WARMUP=5s THREADS=2 USERS=10000 SIGNED_IN=200 PORT=3101 JAAN_WORKERS=(one per CPU)
#   JAAN_DB_POOL_MAX=(2 x CPUs / workers, at least 2) JAAN_DB_POOL_MIN=(the max) JAAN_SESSION_CACHE_TTL=1s
#   (Docs/Scaling.md's rule, as PostgreSQL shares the machine: on 2 cores, 2 per worker beat 3, 4 and 50; RESULTS.md)
#   MIN_RPS=500 MAX_P95_MS=500 MAX_P99_MS=1000 MAX_ERROR_RATE=0.005 MAX_RSS_MB=1024 LOGIN_PER_MILLE=1
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/Benchmarks/.loadtest"
results="$root/Benchmarks/results"
mkdir -p "$work" "$results"

CONNECTIONS="${CONNECTIONS:-200}" DURATION="${DURATION:-30s}" WARMUP="${WARMUP:-5s}" THREADS="${THREADS:-2}"
USERS="${USERS:-10000}" SIGNED_IN="${SIGNED_IN:-200}" PORT="${PORT:-3101}"
MIN_RPS="${MIN_RPS:-500}" MAX_P95_MS="${MAX_P95_MS:-500}" MAX_P99_MS="${MAX_P99_MS:-1000}"
MAX_ERROR_RATE="${MAX_ERROR_RATE:-0.005}" MAX_RSS_MB="${MAX_RSS_MB:-1024}"
export PORT HOST=127.0.0.1 LOG_LEVEL="${LOG_LEVEL:-warning}" LOGIN_PER_MILLE="${LOGIN_PER_MILLE:-1}"
# Docs/Scaling.md's starting point when PostgreSQL shares the host: 2 x its cores / workers, at least 2.
cpus="$(nproc)"
workers="${JAAN_WORKERS:-auto}"
[[ "$workers" =~ ^[0-9]+$ ]] || workers="$cpus"
pool=$(( 2 * cpus / workers ))
(( pool >= 2 )) || pool=2
export JAAN_DB_POOL_MAX="${JAAN_DB_POOL_MAX:-$pool}"
export JAAN_DB_POOL_MIN="${JAAN_DB_POOL_MIN:-$JAAN_DB_POOL_MAX}"

for tool in wrk curl; do command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk curl)"; exit 2; }; done

echo "== build (release)"
(cd "$root" && nice -n 5 swift build -c release --product jaan-connect >/dev/null)
binary="$root/.build/release/jaan-connect"
cd "$work"

server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
}
trap cleanup EXIT

# Without DATABASE_URL, seed and serve each start the embedded PostgreSQL under $work/.jaan/postgres.
echo "== seed $USERS users"
"$binary" seed --users "$USERS" > seed.json

"$binary" serve --status-file "$work/.jaan/cluster-status.json" > server.log 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$PORT/ready" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { echo "server exited:"; tail -20 server.log; exit 1; }
    sleep 0.1
done
curl -fsS "http://127.0.0.1:$PORT/ready" >/dev/null || { echo "server not ready"; exit 1; }

first_id="$(sed -n 's/.*"first_user_id":\([0-9]*\).*/\1/p' seed.json)"
seed_run="$(sed -n 's/.*"run":"\([^"]*\)".*/\1/p' seed.json)"

echo "== sign in $SIGNED_IN users"
: > users.txt
for index in $(seq 0 $((SIGNED_IN - 1))); do
    email="seed-$seed_run-$index@example.com"
    token="$(curl -fsS -X POST -H 'Content-Type: application/json' \
        -d "{\"email\":\"$email\",\"password\":\"jaan-seed-password\"}" "http://127.0.0.1:$PORT/api/v1/sessions" \
        | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
    echo "$((first_id + index)) $token $email" >> users.txt
done

# The same mix, unmeasured, first, so that the run measures the steady state: every connection open, every
# statement prepared, every session cached.
echo "== warm-up: $WARMUP"
USERS_FILE="$work/users.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" --timeout 5s -s "$here/scenario.lua" \
    "http://127.0.0.1:$PORT" > warmup.txt

echo "== wrk: $CONNECTIONS connections, $DURATION"
peak_file="$work/peak-rss"
echo 0 > "$peak_file"
(
    peak=0
    while kill -0 "$server_pid" 2>/dev/null; do
        pids="$server_pid $( (pgrep -P "$server_pid" || true) | tr '\n' ' ')"
        total=0
        for pid in $pids; do
            rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)"
            total=$((total + ${rss:-0}))
        done
        [ "$total" -gt "$peak" ] && peak=$total && echo "$peak" > "$peak_file"
        sleep 0.2
    done
) &
sampler=$!

# CPU time (clock ticks) of processes: the server with its workers, the embedded PostgreSQL with its backends.
cpu_ticks() {
    local total=0 pid fields
    for pid in "$@"; do
        read -r -a fields < <(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
        total=$((total + fields[11] + fields[12]))
    done
    echo "$total"
}
server_pids() { echo "$server_pid" $( (pgrep -P "$server_pid" || true) ); }
postgres_pids() {
    local postmaster
    postmaster="$(head -1 "$work/.jaan/postgres/postmaster.pid" 2>/dev/null || true)"
    [ -n "$postmaster" ] && echo "$postmaster" $( (pgrep -P "$postmaster" || true) )
}
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
server_before="$(cpu_ticks $(server_pids))" postgres_before="$(cpu_ticks $(postgres_pids))"
TIMEFORMAT="%U %S"
{ time USERS_FILE="$work/users.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 5s \
    -s "$here/scenario.lua" "http://127.0.0.1:$PORT" > wrk.txt; } 2> wrk.time
cat wrk.txt
server_ticks=$(( $(cpu_ticks $(server_pids)) - server_before ))
postgres_ticks=$(( $(cpu_ticks $(postgres_pids)) - postgres_before ))
kill "$sampler" 2>/dev/null || true
peak_mb=$(( $(cat "$peak_file") / 1024 ))

line="$(grep '^RESULT' wrk.txt)"
value() { echo "$line" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }
rps="$(value rps)" p50="$(value p50_ms)" p95="$(value p95_ms)" p99="$(value p99_ms)"
requests="$(value requests)" errors="$(value errors)"
error_rate="$(awk -v e="$errors" -v r="$requests" 'BEGIN { printf "%.5f", (r > 0 ? e / r : 1) }')"
# CPU per request, in microseconds: what each part costs, whatever share of the cores it got.
hz="$(getconf CLK_TCK)"
cpu_line="$(awk -v s="$server_ticks" -v p="$postgres_ticks" -v w="$(cat wrk.time)" -v r="$requests" -v hz="$hz" \
    'BEGIN { split(w, t, " "); f = (r > 0 ? 1e6 / r : 0); printf "cpu_us_per_request: server=%.0f postgres=%.0f wrk=%.0f", s / hz * f, p / hz * f, (t[1] + t[2]) * f }')"

ab_line="(ab not installed: apt-get install apache2-utils)"
if command -v ab >/dev/null; then
    echo "== ab: 200 concurrent, 1000 requests, GET /api/v1/me"
    token="$(sed -n '1s/^[0-9]* \([^ ]*\) .*/\1/p' users.txt)"
    ab -q -n 1000 -c 200 -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/api/v1/me" > ab.txt 2>&1 || true
    ab_rps="$(awk '/^Requests per second/ {print $4}' ab.txt)"
    ab_mean="$(awk '/^Time per request:.*\(mean\)$/ {print $4; exit}' ab.txt)"
    ab_p95="$(awk '$1 == "95%" {print $2}' ab.txt)"
    ab_failed="$(awk '/^Failed requests/ {print $3}' ab.txt)"
    ab_non2xx="$(awk '/^Non-2xx responses/ {print $3}' ab.txt)"
    ab_line="ab: rps=$ab_rps mean_ms=$ab_mean p95_ms=$ab_p95 failed=$ab_failed non2xx=${ab_non2xx:-0}"
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
report="$results/connect-$stamp.txt"
{
    echo "Jaan Connect load test $stamp ($(nproc) CPUs, workers=${JAAN_WORKERS:-auto}, pool=$JAAN_DB_POOL_MAX, users=$USERS, signed_in=$SIGNED_IN)"
    echo "wrk: connections=$CONNECTIONS warmup=$WARMUP duration=$DURATION rps=$rps p50_ms=$p50 p95_ms=$p95 p99_ms=$p99 requests=$requests errors=$errors error_rate=$error_rate peak_rss_mb=$peak_mb"
    echo "$cpu_line (load average before wrk: $load_before)"
    echo "$ab_line"
    echo "thresholds: min_rps=$MIN_RPS max_p95_ms=$MAX_P95_MS max_p99_ms=$MAX_P99_MS max_error_rate=$MAX_ERROR_RATE max_rss_mb=$MAX_RSS_MB"
} | tee "$report"
cp server.log "$results/connect-$stamp.server.log"

failed=0
check() { awk -v a="$1" -v b="$3" "BEGIN { exit !(a $2 b) }" || { echo "MISSED: $4 ($1 vs $3)"; failed=1; }; }
check "$rps" ">=" "$MIN_RPS" "requests/s"
check "$p95" "<=" "$MAX_P95_MS" "p95 ms"
check "$p99" "<=" "$MAX_P99_MS" "p99 ms"
check "$error_rate" "<=" "$MAX_ERROR_RATE" "error rate"
check "$peak_mb" "<=" "$MAX_RSS_MB" "peak RSS MB"
[ "$failed" = 0 ] && echo "PASS (saved $report)" || echo "FAIL (saved $report)"
exit "$failed"
