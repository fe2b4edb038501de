"""Load test of ``copydesk serve`` on the loopback address. Prints JSON.

Starts the real command (every built-in analyzer) on a free port, waits until
it answers, sends one request to warm it, then has ``--clients`` threads post
the example articles for ``--seconds``, each on its own keep-alive connection,
as fast as the server answers. Reports requests per second, latency
percentiles, status counts (errors must be 0; 503s are the queue doing its job
and are counted apart) and the server's resident memory after the warm-up
request and at the end.

    python benchmarks/serve_load.py                  # 20 clients, 30 s
    python benchmarks/serve_load.py --clients 40 --seconds 60 --queue 64

Not part of ``make test``: it takes the machine for its whole duration.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples" / "articles"


def example_documents() -> list[dict[str, Any]]:
    """The example articles as request documents (the briefs one by one)."""
    docs = []
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix in (".txt", ".md"):
            docs.append({"id": path.name, "text": path.read_text(encoding="utf-8")})
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    item = json.loads(line)
                    docs.append(
                        {"id": item["id"], "text": item["text"], "title": item.get("title")}
                    )
    return docs


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


class Worker(threading.Thread):
    def __init__(self, port: int, docs: list[dict[str, Any]], stop_at: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.docs = docs
        self.stop_at = stop_at
        self.random = random.Random(seed)
        self.latencies: list[float] = []
        self.statuses: dict[str, int] = {}
        self.failures: list[str] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        while time.monotonic() < self.stop_at:
            body = json.dumps(self.random.choice(self.docs)).encode()
            started = time.perf_counter()
            try:
                conn.request("POST", "/v1/analyze", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.failures.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                continue
            elapsed = time.perf_counter() - started
            key = str(response.status)
            self.statuses[key] = self.statuses.get(key, 0) + 1
            if response.status == 200:
                self.latencies.append(elapsed)
                if b'"schema_version"' not in payload[:100]:
                    self.failures.append("200 without a result")
            elif response.status == 503:
                time.sleep(float(response.getheader("Retry-After", "1")))
        conn.close()


def wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("copydesk serve exited before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.25)
    raise SystemExit("copydesk serve did not answer /healthz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--queue", type=int, default=32, help="the server's --queue")
    parser.add_argument("--workers", type=int, default=1, help="the server's --workers")
    args = parser.parse_args()

    port = free_port()
    command = [
        *(sys.executable, "-m", "copydesk", "serve", "--port", str(port)),
        *("--queue", str(args.queue), "--workers", str(args.workers)),
    ]
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, server)
        startup_s = time.perf_counter() - started
        docs = example_documents()
        warm = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for doc in docs:  # every example once, so start memory includes their first use
            warm.request(
                "POST", "/v1/analyze", json.dumps(doc), {"Content-Type": "application/json"}
            )
            warm.getresponse().read()
        warm.close()
        memory_start = rss_mb(server.pid)
        stop_at = time.monotonic() + args.seconds
        workers = [Worker(port, docs, stop_at, seed) for seed in range(args.clients)]
        began = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        wall = time.perf_counter() - began
        memory_end = rss_mb(server.pid)
        alive = server.poll() is None
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    latencies = [x for w in workers for x in w.latencies]
    statuses: dict[str, int] = {}
    for worker in workers:
        for key, count in worker.statuses.items():
            statuses[key] = statuses.get(key, 0) + count
    failures = [f for w in workers for f in w.failures]
    errors = sum(c for k, c in statuses.items() if k not in ("200", "503")) + len(failures)
    growth = (memory_end - memory_start) / memory_start * 100 if memory_start else float("nan")
    print(
        json.dumps(
            {
                "clients": args.clients,
                "seconds": round(wall, 1),
                "server": {"workers": args.workers, "queue": args.queue},
                "startup_s": round(startup_s, 2),
                "documents": len(docs),
                "words_per_request_mean": round(
                    statistics.mean(len(d["text"].split()) for d in docs), 1
                ),
                "requests_ok": len(latencies),
                "requests_per_s": round(len(latencies) / wall, 2),
                "latency_s": {
                    "p50": round(percentile(latencies, 50), 3),
                    "p95": round(percentile(latencies, 95), 3),
                    "p99": round(percentile(latencies, 99), 3),
                    "max": round(max(latencies, default=float("nan")), 3),
                },
                "statuses": statuses,
                "busy_503": statuses.get("503", 0),
                "errors": errors,
                "error_samples": failures[:5],
                "memory_mb": {
                    "start": memory_start,
                    "end": memory_end,
                    "growth_percent": round(growth, 2),
                },
                "server_alive_at_end": alive,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
