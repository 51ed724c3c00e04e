#!/usr/bin/env python3
"""JaanCluster benchmark: throughput and p99 with 1 worker vs N, a rolling reload under wrk load,
and the time from a worker's death to its replacement being ready.

Runs the release build of JaanClusterTestWorker (a small HTTP/1.1 responder under JaanCluster) and
wrk on loopback. Every scenario is repeated and reported as medians; the 1-vs-N runs are interleaved
so both see the same machine noise.

    swift build -c release --product JaanClusterTestWorker   # from the repository root
    python3 Benchmarks/cluster-benchmark.py [--rounds 3] [--duration 8] [--workers N]
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "JaanClusterTestWorker")


class Cluster:
    """The test worker under its supervisor (or alone with one worker), on a fixed loopback port."""

    def __init__(self, workers, port, extra=()):
        self.directory = tempfile.mkdtemp(prefix="jaan-cluster-bench-")
        self.status_file = os.path.join(self.directory, "status.json")
        self.log = open(os.path.join(self.directory, "cluster.log"), "w")
        self.port = port
        self.workers = workers
        arguments = [BINARY, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                     "--status-file", self.status_file, "--sample-interval-ms", "100", *extra]
        self.process = subprocess.Popen(arguments, stdout=self.log, stderr=self.log, start_new_session=True)
        self.wait_ready()

    def status(self):
        try:
            with open(self.status_file) as file:
                return json.load(file)
        except (OSError, ValueError):
            return None

    def online(self):
        status = self.status()
        if status is None:
            return None
        workers = status["workers"]
        if status["phase"] == "running" and len(workers) == self.workers and all(w["state"] == "online" for w in workers):
            return status
        return None

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.workers == 1:
                # A single process writes no status: wait for the port to answer.
                if subprocess.run(["curl", "-sf", f"http://127.0.0.1:{self.port}/"], capture_output=True).returncode == 0:
                    return
            elif self.online():
                return
            time.sleep(0.01)
        raise RuntimeError("cluster not ready")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def wrk(port, connections, duration, path="/"):
    """Runs wrk and returns requests/s, p99 in ms, socket errors and non-2xx responses."""
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True).stdout
    return parse_wrk_output(output)


def parse_latency(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def throughput(rounds, duration, workers, port):
    results = {1: [], workers: []}
    for _ in range(rounds):
        for count in (1, workers):
            cluster = Cluster(count, port)
            try:
                wrk(port, 50, 1)  # warm-up
                results[count].append(wrk(port, 50, duration))
            finally:
                cluster.stop()
    return results


def reload_under_load(rounds, duration, workers, port):
    runs = []
    for _ in range(rounds):
        cluster = Cluster(workers, port, ["--shutdown-timeout-ms", "5000"])
        try:
            wrk(port, 200, 1)
            load = subprocess.Popen(
                ["wrk", "-t2", "-c200", f"-d{duration}s", "--latency", f"http://127.0.0.1:{port}/"],
                stdout=subprocess.PIPE, text=True)
            time.sleep(duration / 4)  # let the load settle before the reload
            old = {w["pid"] for w in cluster.online()["workers"]}
            started = time.monotonic()
            cluster.process.send_signal(signal.SIGHUP)
            while True:
                status = cluster.online()
                if status and not old & {w["pid"] for w in status["workers"]}:
                    break
                if time.monotonic() - started > duration:
                    raise RuntimeError("reload did not finish during the load")
                time.sleep(0.01)
            reload_seconds = time.monotonic() - started
            output = load.communicate()[0]
            run = parse_wrk_output(output)
            run["reload_seconds"] = reload_seconds
            runs.append(run)
        finally:
            cluster.stop()
    return runs


def parse_wrk_output(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = parse_latency(re.search(r"99%\s+([\d.]+\w+)", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return {"rps": rps, "p99": p99, "errors": errors, "non2xx": non2xx, "requests": requests}


def death_to_ready(samples, workers, port):
    # A replacement that stayed up 300 ms resets the back-off, so every restart is immediate.
    cluster = Cluster(workers, port, ["--minimum-uptime-ms", "300", "--maximum-restarts", "100"])
    times = []
    try:
        for _ in range(samples):
            status = cluster.online()
            victim = status["workers"][0]
            killed = time.monotonic()
            os.kill(victim["pid"], signal.SIGKILL)
            while True:
                status = cluster.online()
                if status and victim["pid"] not in {w["pid"] for w in status["workers"]}:
                    break
                time.sleep(0.002)
            times.append((time.monotonic() - killed) * 1000)
            # Let the replacement outlive the minimum uptime, so the back-off stays at its start.
            time.sleep(0.5)
    finally:
        cluster.stop()
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--port", type=int, default=18931)
    arguments = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit(f"build first: swift build -c release --product JaanClusterTestWorker ({BINARY} missing)")
    n = arguments.workers

    results = throughput(arguments.rounds, arguments.duration, n, arguments.port)
    print(f"## throughput, wrk -t2 -c50 -d{arguments.duration}s GET /, {arguments.rounds} rounds interleaved")
    medians = {}
    for count, runs in results.items():
        medians[count] = (statistics.median(r["rps"] for r in runs), statistics.median(r["p99"] for r in runs))
        print(f"workers={count}: req/s {[round(r['rps']) for r in runs]} median {medians[count][0]:.0f}; "
              f"p99 ms {[r['p99'] for r in runs]} median {medians[count][1]:.2f}; "
              f"errors {sum(r['errors'] for r in runs)} non-2xx {sum(r['non2xx'] for r in runs)}")
    print(f"ratio req/s {n}/1: {medians[n][0] / medians[1][0]:.2f}; p99 {n}/1: {medians[n][1] / medians[1][1]:.2f}")

    runs = reload_under_load(arguments.rounds, arguments.duration, n, arguments.port)
    print(f"## rolling reload (SIGHUP) under wrk -t2 -c200 -d{arguments.duration}s, workers={n}")
    for run in runs:
        print(f"requests {run['requests']} req/s {run['rps']:.0f} p99 {run['p99']:.2f} ms socket errors {run['errors']} "
              f"non-2xx {run['non2xx']} reload took {run['reload_seconds']:.2f} s")
    print(f"median p99 {statistics.median(r['p99'] for r in runs):.2f} ms; "
          f"total socket errors {sum(r['errors'] for r in runs)}; total non-2xx {sum(r['non2xx'] for r in runs)}")

    times = death_to_ready(10, n, arguments.port)
    print(f"## worker SIGKILL to replacement ready, workers={n}, 10 kills")
    print(f"ms {[round(t, 1) for t in times]} median {statistics.median(times):.1f} max {max(times):.1f}")


if __name__ == "__main__":
    main()
