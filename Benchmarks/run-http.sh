#!/usr/bin/env bash
# The HTTP benchmark: the same app on Jaan, Hummingbird 2 and Node (http + cluster), driven by wrk
# side by side in one run. Builds the Swift apps in release mode, starts every server on a free
# loopback port, checks that all answer the same bytes, warms each up, then runs the servers
# interleaved per repetition at each connection count and prints the medians and ratios.
# Raw outputs and the markdown table go to Benchmarks/results/<timestamp>/ (git-ignored).
# Installs nothing; loopback only; bounded in time; stops every server it started.
#
# Knobs (environment variables):
#   SERVERS=jaan,hummingbird,node   which apps to run (ratios are Jaan's over each peer)
#   ENDPOINTS=plaintext,json,users  which endpoints (users is GET /users/42)
#   CONNECTIONS=64,200              wrk connection counts
#   DURATION=2                      seconds per measured run: short, so back-to-back runs see the machine alike
#   WARMUP=3                        seconds of warm-up per server and endpoint (at the largest count)
#   REPETITIONS=15                  interleaved repetitions; the table shows medians and per-repetition ratios
#   THREADS=2                       wrk threads
#   SERVER_CPUS=, WRK_CPUS=         taskset CPU lists (e.g. SERVER_CPUS=1 WRK_CPUS=0); default: not pinned
#   SKIP_BUILD=1                    use the existing release build
#
# Example: DURATION=5 REPETITIONS=1 ./run-http.sh (a quick look)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

SERVERS="${SERVERS:-jaan,hummingbird,node}"
ENDPOINTS="${ENDPOINTS:-plaintext,json,users}"
CONNECTIONS="${CONNECTIONS:-64,200}"
DURATION="${DURATION:-2}"
WARMUP="${WARMUP:-3}"
REPETITIONS="${REPETITIONS:-15}"
THREADS="${THREADS:-2}"
SERVER_CPUS="${SERVER_CPUS:-}"
WRK_CPUS="${WRK_CPUS:-}"

missing=0
need() {
    if ! command -v "$1" > /dev/null 2>&1; then
        echo "error: $1 not found; $2" >&2
        missing=1
    fi
}
need wrk "install it with: apt-get install -y wrk"
need python3 "install it with: apt-get install -y python3"
need swift "install Swift 6.2 or later"
case ",$SERVERS," in *,node,*) need node "install Node.js 20 or later" ;; esac
if [ -n "$SERVER_CPUS$WRK_CPUS" ]; then need taskset "install it with: apt-get install -y util-linux"; fi
[ "$missing" = 0 ] || exit 1

products=()
case ",$SERVERS," in *,jaan,*) products+=(JaanApp) ;; esac
case ",$SERVERS," in *,hummingbird,*) products+=(HummingbirdApp) ;; esac

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    for product in "${products[@]}"; do
        echo "building $product (release)"
        nice -n 5 swift build -c release --product "$product"
    done
fi
bin_dir="$(swift build -c release --show-bin-path)"
for product in "${products[@]}"; do
    [ -x "$bin_dir/$product" ] || { echo "error: $bin_dir/$product missing; build it or unset SKIP_BUILD" >&2; exit 1; }
done

exec python3 "$here/scripts/http_bench.py" \
    --bin-dir "$bin_dir" \
    --node-script "$here/node/server.js" \
    --servers "$SERVERS" \
    --endpoints "$ENDPOINTS" \
    --connections "$CONNECTIONS" \
    --duration "$DURATION" \
    --warmup "$WARMUP" \
    --repetitions "$REPETITIONS" \
    --threads "$THREADS" \
    --subject jaan \
    --server-cpus "$SERVER_CPUS" \
    --wrk-cpus "$WRK_CPUS" \
    --lua "$here/scripts/wrk-report.lua" \
    --results "$here/results"
