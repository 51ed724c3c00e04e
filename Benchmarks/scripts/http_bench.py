#!/usr/bin/env python3
"""Drives the HTTP benchmark servers with wrk, side by side, and prints a table of medians.

Called by ../run-http.sh after it has built the Swift apps; see that script for the knobs.
Loopback only, bounded in time, stops every server it started.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
ENDPOINTS = {
    "plaintext": "/plaintext",
    "json": "/json",
    "users": "/users/42",
}
ENDPOINT_LABELS = {"plaintext": "/plaintext", "json": "/json", "users": "/users/:id"}
DISPLAY = {"jaan": "Jaan", "hummingbird": "Hummingbird", "node": "Node"}
PAGE_SIZE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def free_port() -> int:
    """An ephemeral port that was free a moment ago (the server binds it right after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def process_tree(root: int) -> list[int]:
    """The root pid and all its descendants, from /proc/<pid>/task/<tid>/children."""
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return pids


def rss_kb(pids: list[int]) -> int:
    """Sum of resident set sizes, in KiB, of the given processes (those still alive)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * PAGE_SIZE_KB
        except (OSError, IndexError, ValueError):
            continue
    return total


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time, in seconds, of the given processes (those still alive)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            continue
    return total / CLOCK_TICKS


class RSSSampler:
    """Samples a server's process-tree RSS every `interval` seconds in a thread; reports the peak."""

    def __init__(self, root: int, interval: float = 0.1):
        self.root, self.interval = root, interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        pids, refreshed = process_tree(self.root), time.monotonic()
        while not self._stop.is_set():
            if time.monotonic() - refreshed > 1.0:
                pids, refreshed = process_tree(self.root), time.monotonic()
            self.peak_kb = max(self.peak_kb, rss_kb(pids))
            self._stop.wait(self.interval)

    def __enter__(self) -> "RSSSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Server:
    name: str
    command: list[str]
    port: int
    log_path: Path
    process: subprocess.Popen | None = None
    idle_rss_kb: int = 0

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def start(self, timeout: float) -> None:
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            self.command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url("/plaintext"), timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)
        raise SystemExit(f"{self.name} not ready on port {self.port} after {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


@dataclass
class Run:
    server: str
    endpoint: str
    connections: int
    repetition: int
    requests_per_s: float
    p50_us: int
    p99_us: int
    peak_rss_kb: int
    cpu_us_per_request: float
    errors: int
    non_2xx: int
    loadavg: str
    raw: dict = field(default_factory=dict)


def pinned(command: list[str], cpus: str) -> list[str]:
    """The command run on the given CPU list through taskset, or as is when the list is empty."""
    return ["taskset", "-c", cpus, *command] if cpus else command


def run_wrk(
    server: Server, path: str, connections: int, duration: int, threads: int, lua: Path, out: Path, cpus: str = ""
) -> tuple[dict, int]:
    """Runs wrk once against a server while sampling its RSS; returns wrk's numbers and the peak RSS."""
    command = pinned([
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "--latency",
        "-s", str(lua), server.url(path),
    ], cpus)
    pids = process_tree(server.process.pid)
    cpu_before = cpu_seconds(pids)
    with RSSSampler(server.process.pid) as sampler:
        result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    cpu_used = cpu_seconds(pids) - cpu_before
    out.write_text(" ".join(command) + "\n\n" + result.stdout + result.stderr)
    if result.returncode != 0:
        raise SystemExit(f"wrk failed ({result.returncode}) against {server.name}; see {out}")
    match = re.search(r"^WRK_JSON (\{.*\})$", result.stdout, re.MULTILINE)
    if not match:
        raise SystemExit(f"no WRK_JSON line in wrk's output; see {out}")
    numbers = json.loads(match.group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    numbers["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    numbers["server_cpu_s"] = cpu_used
    return numbers, sampler.peak_kb


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read()


def same_payload(a: bytes, b: bytes) -> bool:
    """Byte-equal, or, for JSON, equal values of equal length: Foundation's JSONEncoder on Linux writes an
    object's keys in hash order, which changes from one process to the next, so bytes may be permuted."""
    if a == b:
        return True
    try:
        return len(a) == len(b) and json.loads(a) == json.loads(b)
    except ValueError:
        return False


def check_bodies(servers: list[Server], out_dir: Path) -> None:
    """Every server must answer every endpoint with 200 and the same payload, and /users/abc with 400."""
    report = []
    for endpoint, path in ENDPOINTS.items():
        bodies = {}
        for server in servers:
            status, content_type, body = fetch(server.url(path))
            if status != 200:
                raise SystemExit(f"{server.name} {path}: status {status}")
            bodies[server.name] = body
            report.append(f"{server.name} {path}: {status} {content_type!r} {len(body)} bytes")
            (out_dir / f"body-{server.name}-{endpoint}.txt").write_bytes(body)
        reference_name, reference = next(iter(bodies.items()))
        for name, body in bodies.items():
            if not same_payload(body, reference):
                raise SystemExit(
                    f"{path}: {name} and {reference_name} differ; see {out_dir}/body-*-{endpoint}.txt"
                )
    for server in servers:
        try:
            status, _, _ = fetch(server.url("/users/abc"))
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 400:
            raise SystemExit(f"{server.name} /users/abc: status {status}, expected 400")
    (out_dir / "bodies.txt").write_text("\n".join(report) + "\n")
    print("bodies: same payloads from " + ", ".join(s.name for s in servers))


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt_latency(us: float) -> str:
    if us != us:
        return "-"
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


def fmt_ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b and a == a and b == b else "-"


def build_tables(runs: list[Run], servers: list[str], connections: list[int], subject: str, meta: dict) -> str:
    """The markdown report: a table of medians per endpoint, connections and server, then the ratios."""
    cells: dict[tuple[str, int, str], list[Run]] = {}
    for run in runs:
        cells.setdefault((run.endpoint, run.connections, run.server), []).append(run)

    def med(endpoint: str, conns: int, server: str, attribute: str) -> float:
        return median([getattr(r, attribute) for r in cells.get((endpoint, conns, server), [])])

    def per_repetition_ratio(endpoint: str, conns: int, other: str) -> float:
        mine = {r.repetition: r.requests_per_s for r in cells.get((endpoint, conns, subject), [])}
        theirs = {r.repetition: r.requests_per_s for r in cells.get((endpoint, conns, other), [])}
        return median([mine[k] / theirs[k] for k in mine if theirs.get(k)])

    lines = [
        f"Medians of {meta['repetitions']} interleaved runs of {meta['duration_s']} s each "
        f"(wrk -t{meta['threads']}, after a {meta['warmup_s']} s warm-up per server and endpoint); "
        "peak RSS is the sum over the server's process tree, sampled every 100 ms during each run; "
        "server CPU/request is the tree's user+system CPU time during the run over the requests served "
        "(less sensitive than requests/s to what else the machine runs).",
        "",
        "| endpoint | conns | server | requests/s | p50 | p99 | peak RSS | server CPU/request | errors |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for endpoint in ENDPOINTS:
        for conns in connections:
            for server in servers:
                group = cells.get((endpoint, conns, server), [])
                errors = sum(r.errors + r.non_2xx for r in group)
                lines.append(
                    f"| {ENDPOINT_LABELS[endpoint]} | {conns} | {DISPLAY.get(server, server)} "
                    f"| {med(endpoint, conns, server, 'requests_per_s'):,.0f} "
                    f"| {fmt_latency(med(endpoint, conns, server, 'p50_us'))} "
                    f"| {fmt_latency(med(endpoint, conns, server, 'p99_us'))} "
                    f"| {med(endpoint, conns, server, 'peak_rss_kb') / 1024:.1f} MB "
                    f"| {med(endpoint, conns, server, 'cpu_us_per_request'):.1f} µs | {errors} |"
                )
    others = [s for s in servers if s != subject]
    if subject in servers and others:
        name = DISPLAY.get(subject, subject)
        header = ["endpoint", "conns"]
        for other in others:
            o = DISPLAY.get(other, other)
            header += [
                f"req/s {name}/{o}", f"per-rep req/s {name}/{o}", f"p99 {name}/{o}", f"RSS {name}/{o}", f"CPU/req {name}/{o}",
            ]
        lines += [
            "",
            f"Ratios of medians ({name} over each peer; req/s above 1 is faster, p99, RSS and CPU/request below 1 are better). "
            "\"per-rep\" is the median over the repetitions of the ratio between the two servers' back-to-back runs: "
            "the machine's speed drifts less between neighbouring runs than across the whole benchmark.",
            "",
            "| " + " | ".join(header) + " |",
            "|---|---:|" + "---:|" * (len(header) - 2),
        ]
        for endpoint in ENDPOINTS:
            for conns in connections:
                row = [ENDPOINT_LABELS[endpoint], str(conns)]
                for other in others:
                    row.append(fmt_ratio(med(endpoint, conns, subject, "requests_per_s"), med(endpoint, conns, other, "requests_per_s")))
                    row.append(f"{per_repetition_ratio(endpoint, conns, other):.2f}")
                    for attribute in ("p99_us", "peak_rss_kb", "cpu_us_per_request"):
                        row.append(fmt_ratio(med(endpoint, conns, subject, attribute), med(endpoint, conns, other, attribute)))
                lines.append("| " + " | ".join(row) + " |")
    idle = ", ".join(f"{DISPLAY.get(s, s)} {meta['idle_rss_mb'][s]:.1f} MB" for s in servers)
    lines += ["", f"Idle RSS after start: {idle}."]
    return "\n".join(lines) + "\n"


def machine_description() -> dict:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "kernel": platform.release(),
        "memory_gb": round(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30, 1),
        "loadavg_start": open("/proc/loadavg").read().strip(),
    }


def main() -> None:
    # SIGINT (even when a background shell ignored it) and SIGTERM unwind, so the `finally` below stops the servers.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin-dir", required=True, type=Path, help="swift build's release bin path")
    parser.add_argument("--node-script", required=True, type=Path)
    parser.add_argument("--servers", default="jaan,hummingbird,node")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS))
    parser.add_argument("--connections", default="64,200")
    parser.add_argument("--duration", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repetitions", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--subject", default="jaan", help="the server the ratios are computed for")
    parser.add_argument("--results", required=True, type=Path)
    parser.add_argument("--lua", required=True, type=Path)
    parser.add_argument("--server-cpus", default="", help="taskset CPU list for the servers (default: not pinned)")
    parser.add_argument("--wrk-cpus", default="", help="taskset CPU list for wrk (default: not pinned)")
    args = parser.parse_args()

    server_names = [s for s in args.servers.split(",") if s]
    endpoints = [e for e in args.endpoints.split(",") if e]
    for e in endpoints:
        if e not in ENDPOINTS:
            raise SystemExit(f"unknown endpoint {e}; known: {', '.join(ENDPOINTS)}")
    for e in list(ENDPOINTS):
        if e not in endpoints:
            del ENDPOINTS[e]
    connections = [int(c) for c in args.connections.split(",") if c]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out_dir = args.results / stamp
    (out_dir / "wrk").mkdir(parents=True)

    commands = {
        "jaan": [str(args.bin_dir / "JaanApp")],
        "hummingbird": [str(args.bin_dir / "HummingbirdApp")],
        "node": ["node", str(args.node_script)],
    }
    servers = []
    for name in server_names:
        if name not in commands:
            raise SystemExit(f"unknown server {name}; known: {', '.join(commands)}")
        port = free_port()
        command = pinned(commands[name] + ["--port", str(port)], args.server_cpus)
        servers.append(Server(name, command, port, out_dir / f"server-{name}.log"))

    meta = {
        "date_utc": stamp,
        "machine": machine_description(),
        "servers": server_names,
        "endpoints": endpoints,
        "connections": connections,
        "duration_s": args.duration,
        "warmup_s": args.warmup,
        "repetitions": args.repetitions,
        "threads": args.threads,
        "server_cpus": args.server_cpus or "all",
        "wrk_cpus": args.wrk_cpus or "all",
    }
    total = len(servers) * len(endpoints) * (args.warmup + len(connections) * args.repetitions * args.duration)
    print(f"results: {out_dir}")
    print(f"servers: {', '.join(server_names)}; about {total // 60 + 1} min of load")

    runs: list[Run] = []
    try:
        for server in servers:
            server.start(timeout=60)
            print(f"{server.name}: ready on {HOST}:{server.port} ({' '.join(server.command)})")
        time.sleep(1)
        for server in servers:
            server.idle_rss_kb = rss_kb(process_tree(server.process.pid))
        meta["idle_rss_mb"] = {s.name: s.idle_rss_kb / 1024 for s in servers}
        check_bodies(servers, out_dir)

        for server in servers:
            for endpoint in endpoints:
                run_wrk(server, ENDPOINTS[endpoint], max(connections), args.warmup, args.threads, args.lua,
                        out_dir / "wrk" / f"warmup-{server.name}-{endpoint}.txt", args.wrk_cpus)
        print("warm-up done")

        for repetition in range(args.repetitions):
            # Rotate the order every repetition, so no server always runs first or right after another.
            order = servers[repetition % len(servers):] + servers[:repetition % len(servers)]
            for endpoint in endpoints:
                for conns in connections:
                    for server in order:
                        if server.process.poll() is not None:
                            raise SystemExit(f"{server.name} died (exit {server.process.returncode}); see {server.log_path}")
                        loadavg = open("/proc/loadavg").read().strip()
                        numbers, peak = run_wrk(
                            server, ENDPOINTS[endpoint], conns, args.duration, args.threads, args.lua,
                            out_dir / "wrk" / f"{server.name}-{endpoint}-c{conns}-r{repetition + 1}.txt",
                            args.wrk_cpus,
                        )
                        errors = sum(numbers[k] for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout"))
                        run = Run(
                            server.name, endpoint, conns, repetition + 1,
                            numbers["requests"] / (numbers["duration_us"] / 1e6),
                            numbers["p50_us"], numbers["p99_us"], peak,
                            numbers["server_cpu_s"] * 1e6 / max(numbers["requests"], 1),
                            errors, numbers["non_2xx"], loadavg, numbers,
                        )
                        runs.append(run)
                        print(
                            f"r{run.repetition} {ENDPOINT_LABELS[endpoint]:<10} c{conns:<3} {server.name:<11} "
                            f"{run.requests_per_s:>9,.0f} req/s  p50 {fmt_latency(run.p50_us):>9}  "
                            f"p99 {fmt_latency(run.p99_us):>9}  rss {peak / 1024:6.1f} MB  "
                            f"cpu {run.cpu_us_per_request:5.1f} µs/req  errors {errors + run.non_2xx}",
                            flush=True,
                        )
    finally:
        for server in servers:
            server.stop()

    meta["machine"]["loadavg_end"] = open("/proc/loadavg").read().strip()
    subject = args.subject if args.subject in server_names else server_names[0]
    table = build_tables(runs, server_names, connections, subject, meta)
    (out_dir / "runs.json").write_text(json.dumps({"meta": meta, "runs": [r.__dict__ for r in runs]}, indent=2))
    m = meta["machine"]
    header = (
        f"# HTTP benchmark {stamp}\n\n"
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gb']} GiB, Linux {m['kernel']}; "
        f"CPUs for the servers: {meta['server_cpus']}, for wrk: {meta['wrk_cpus']}; load average at start {m['loadavg_start']}, at end {m['loadavg_end']}.\n\n"
    )
    (out_dir / "table.md").write_text(header + table)
    print()
    print(header + table)
    print(f"raw outputs and table.md in {out_dir}")


if __name__ == "__main__":
    main()
