#!/usr/bin/env bash
# The JaanTimeout benchmark. One process (TimeoutBenchmark) serves the same GET /json on two ports, one behind
# TimeoutMiddleware (60 s); wrk loads them alternately, repetition after repetition, and the medians and the
# ratios (with / without) of requests/s and of the server's CPU time per request are printed. The machine's speed
# drifts over seconds, so read the median of the per-repetition ratios: each compares two 1 s runs back to back
# (A/A runs, CONTROL=1, put it at 1.00 +- 0.01). Then it loads GET /stuck (a handler that waits to be cancelled, behind a
# 10 ms deadline) round after round, thousands of timeouts a second, and prints resident memory after each round,
# and the same for rounds of /json behind the 60 s deadline (each request arms and cancels a timer).
# Loopback only; installs nothing; stops the server it started.
#
# Knobs (environment variables):
#   DURATION=1       seconds per measured wrk run: short, so that the two runs of a pair see the machine alike
#   REPETITIONS=61   alternating repetitions; the table shows medians
#   CONNECTIONS=64   wrk connections
#   THREADS=2        wrk threads
#   WARMUP=3         seconds of warm-up per server
#   ROUNDS=4         memory rounds per endpoint
#   ROUND=10         seconds per memory round
#   SKIP_BUILD=1     use the existing release build
#   CONTROL=1        serve the route without the middleware on both ports (an A/A run: the ratios it prints are
#                    the harness's own bias and noise); skips the /stuck and memory checks
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

DURATION="${DURATION:-1}"
REPETITIONS="${REPETITIONS:-61}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-3}"
ROUNDS="${ROUNDS:-4}"
ROUND="${ROUND:-10}"

for tool in wrk curl python3 swift; do
    command -v "$tool" > /dev/null || { echo "error: $tool not found" >&2; exit 1; }
done

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    nice -n 5 swift build -c release --product TimeoutBenchmark
fi
binary="$(swift build -c release --show-bin-path)/TimeoutBenchmark"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
plain_port="$(free_port)"
timeout_port="$(free_port)"
workdir="$(mktemp -d)"
control=()
[ "${CONTROL:-0}" = 1 ] && control=(--control)
"$binary" "$plain_port" "$timeout_port" "${control[@]}" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$workdir"' EXIT

plain="http://127.0.0.1:$plain_port"
timed="http://127.0.0.1:$timeout_port"
for _ in $(seq 1 100); do
    curl -sf "$plain/json" > /dev/null 2>&1 && curl -sf "$timed/json" > /dev/null 2>&1 && break
    sleep 0.1
done
[ "$(curl -sf "$plain/json")" = "$(curl -sf "$timed/json")" ] || { echo "error: the two /json bodies differ" >&2; exit 1; }
if [ "${CONTROL:-0}" != 1 ]; then
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$timed/stuck")" = 503 ] || { echo "error: /stuck did not time out" >&2; exit 1; }
fi

rss_mb() {
    awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$server/status"
}

# The server's CPU time so far, in clock ticks (user + system).
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$server/stat"
}
ticks_per_second="$(getconf CLK_TCK)"

# Prints requests/s, the count of non-2xx answers, and the server's CPU microseconds per request of one wrk run.
run_wrk() {
    local before after
    before="$(cpu_ticks)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$1s" "$2" > "$workdir/wrk.out"
    after="$(cpu_ticks)"
    awk -v ticks="$((after - before))" -v hz="$ticks_per_second" '
        /requests in/ { requests = $1 }
        /Requests\/sec/ { rps = $2 }
        /Non-2xx/ { non2xx = $5 }
        END { printf "%s %d %.2f\n", rps, non2xx, ticks / hz * 1e6 / requests }' "$workdir/wrk.out"
}

echo "warming up"
run_wrk "$WARMUP" "$plain/json" > /dev/null
echo "in process (CPU per request, no sockets):"
"$binary" --in-process 50000
run_wrk "$WARMUP" "$timed/json" > /dev/null

plain_results=()
timed_results=()
plain_cpu=()
timed_cpu=()
for repetition in $(seq 1 "$REPETITIONS"); do
    # Alternate which side goes first, so neither always runs on a warmer or quieter machine.
    if [ $((repetition % 2)) = 1 ]; then order="plain timed"; else order="timed plain"; fi
    for side in $order; do
        if [ "$side" = plain ]; then
            read -r rps non2xx cpu < <(run_wrk "$DURATION" "$plain/json")
            plain_results+=("$rps")
            plain_cpu+=("$cpu")
        else
            read -r rps non2xx cpu < <(run_wrk "$DURATION" "$timed/json")
            timed_results+=("$rps")
            timed_cpu+=("$cpu")
        fi
        [ "$non2xx" = 0 ] || { echo "error: $non2xx non-2xx answers on /json ($side)" >&2; exit 1; }
        echo "repetition $repetition $side: $rps requests/s, $cpu server CPU us/request"
    done
done

python3 - "${plain_results[*]}" "${timed_results[*]}" "${plain_cpu[*]}" "${timed_cpu[*]}" <<'PY'
import statistics, sys
plain, timed, plain_cpu, timed_cpu = ([float(x) for x in arg.split()] for arg in sys.argv[1:5])
median = statistics.median
print()
print("| GET /json | median requests/s | median server CPU us/request | requests/s per run |")
print("|---|---|---|---|")
print(f"| without TimeoutMiddleware | {median(plain):,.0f} | {median(plain_cpu):.2f} | {', '.join(f'{x:,.0f}' for x in plain)} |")
print(f"| with TimeoutMiddleware (60 s) | {median(timed):,.0f} | {median(timed_cpu):.2f} | {', '.join(f'{x:,.0f}' for x in timed)} |")
print()
print(f"requests/s with/without: {median(timed) / median(plain):.3f} (median of per-repetition ratios "
      f"{median([t / p for p, t in zip(plain, timed)]):.3f})")
print(f"server CPU per request with/without: {median(timed_cpu) / median(plain_cpu):.3f} (median of per-repetition "
      f"ratios {median([t / p for p, t in zip(plain_cpu, timed_cpu)]):.3f})")
PY

[ "${CONTROL:-0}" = 1 ] && exit 0

echo
echo "| memory round | endpoint | requests/s | 503s | resident MB after |"
echo "|---|---|---|---|---|"
echo "| start | | | | $(rss_mb) |"
for round in $(seq 1 "$ROUNDS"); do
    read -r rps non2xx _ < <(run_wrk "$ROUND" "$timed/stuck")
    echo "| $round | /stuck (10 ms deadline) | $rps | $non2xx | $(rss_mb) |"
done
for round in $(seq 1 "$ROUNDS"); do
    read -r rps non2xx _ < <(run_wrk "$ROUND" "$timed/json")
    echo "| $round | /json (60 s deadline) | $rps | $non2xx | $(rss_mb) |"
done
