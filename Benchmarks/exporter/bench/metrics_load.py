"""Benchmark 4: /metrics under load with wrk on loopback, while the exporter polls a fleet.

Two figures per format and encoding. wrk's (hammering, -c connections): mostly the cached body,
since /metrics is rendered at most once a second and other requests get the last body meanwhile.
The cold scrape (one request after more than a second of quiet, on a fresh connection): what
Prometheus sees, because a scrape every 15 s always finds the cache expired and waits for the
render.

wrk's latency figures are checked against its own throughput: with C connections and one request
in flight on each, the mean latency cannot exceed C / (requests/s) (Little's law). When wrk's mean
breaks that bound its percentiles are not trustworthy, so a plain keep-alive client in C
(loadclient.c: same connections, same headers, every request timed from the first byte sent to
the last byte read) runs next to it as a cross-check. (An earlier Python cross-check spent most
of its measured time reading 12 MB bodies itself, under the GIL.)"""
import re
import subprocess
import time

from . import scrape
from .stats import median, percentile, size

PROMETHEUS_3_ACCEPT = ("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                       "application/openmetrics-text;version=0.0.1;q=0.5,"
                       "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
                       "text/plain;version=0.0.4;q=0.3,*/*;q=0.2")

# name, request headers, expected Content-Type prefix, gzip?
VARIANTS = [
    ("0.0.4", {"Accept": "text/plain;version=0.0.4"}, "text/plain; version=0.0.4", False),
    ("0.0.4 + gzip", {"Accept": "text/plain;version=0.0.4", "Accept-Encoding": "gzip"}, "text/plain; version=0.0.4", True),
    ("OpenMetrics", {"Accept": "application/openmetrics-text;version=1.0.0"}, "application/openmetrics-text; version=1.0.0", False),
    ("OpenMetrics + gzip (Prometheus 3's headers)", {"Accept": PROMETHEUS_3_ACCEPT, "Accept-Encoding": "gzip"},
     "application/openmetrics-text; version=1.0.0", True),
]

P99_TARGET = 0.010

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def wrk_seconds(text):
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text)
    if not match:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output):
    """p50, p99, max latency (s), requests/s, and the count of failed requests."""
    def find(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise ValueError(f"wrk output lacks {pattern!r}:\n{output}")
        return match.group(1)
    failures = 0
    for pattern in (r"Non-2xx or 3xx responses: (\d+)", r"Socket errors: connect (\d+)", r"read (\d+), write",
                    r"write (\d+), timeout", r"timeout (\d+)"):
        match = re.search(pattern, output)
        if match:
            failures += int(match.group(1))
    return {
        "p50": wrk_seconds(find(r"^\s+50%\s+(\S+)")),
        "p99": wrk_seconds(find(r"^\s+99%\s+(\S+)")),
        "max": wrk_seconds(find(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)")),
        "rps": float(find(r"^Requests/sec:\s+([0-9.]+)")),
        "requests": int(find(r"^\s+(\d+) requests in")),
        "failures": failures,
    }


def c_load(config, port, headers, connections, seconds):
    """Every request's latency from loadclient.c: CONNECTIONS threads, one keep-alive connection each."""
    argv = [config.loadclient, str(port), str(connections), str(seconds)] + [f"{k}: {v}" for k, v in headers.items()]
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"loadclient failed: {done.stderr.strip()}")
    latencies, wall = [], None
    for line in done.stdout.splitlines():
        kind, value = line.split()
        if kind == "latency":
            latencies.append(int(value) / 1e9)
        elif kind == "wall":
            wall = int(value) / 1e9
    return {"p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99), "max": max(latencies),
            "mean": sum(latencies) / len(latencies), "rps": len(latencies) / wall}


def check_variant(port, headers, content_type, gzip):
    response = scrape.fetch(port, headers=headers)
    if response.status != 200:
        raise RuntimeError(f"/metrics answered {response.status} to {headers}")
    if not response.headers.get("content-type", "").startswith(content_type):
        raise RuntimeError(f"/metrics answered Content-Type {response.headers.get('content-type')!r} to {headers}")
    if (response.headers.get("content-encoding") == "gzip") != gzip:
        raise RuntimeError(f"/metrics answered Content-Encoding {response.headers.get('content-encoding')!r} to {headers}")
    return len(response.body)


def cold_scrapes(port, headers, count):
    times = []
    for _ in range(count):
        time.sleep(1.2)  # past the one-second render cache
        times.append(scrape.fetch(port, headers=headers).seconds)
    return times


def run_wrk(config, port, headers):
    argv = ["wrk", f"-t{config.wrk_threads}", f"-c{config.wrk_connections}", f"-d{config.wrk_seconds}s", "--latency"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    argv.append(f"http://127.0.0.1:{port}/metrics")
    output = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    shown = [a if " " not in a and ";" not in a else f"'{a}'" for a in argv[:-1]] + ["http://127.0.0.1:PORT/metrics"]
    result = parse_wrk(output)
    result["mean"] = wrk_seconds(re.search(r"^\s+Latency\s+(\S+)", output, re.MULTILINE).group(1))
    return result, " ".join(shown)


def run(config, fleet):
    port = fleet.exporter.port
    rows, worst_p99, commands, inconsistent = [], 0.0, [], []

    def bound_note(result):
        """' (!)' when the mean latency breaks Little's law for this many connections (5% slack)."""
        return "" if result["mean"] <= 1.05 * config.wrk_connections / result["rps"] else " (!)"

    for name, headers, content_type, gzip in VARIANTS:
        body_bytes = check_variant(port, headers, content_type, gzip)
        cold = cold_scrapes(port, headers, config.cold_scrapes)
        load, command = run_wrk(config, port, headers)
        commands.append(command)
        if bound_note(load):
            inconsistent.append(name)
        cross = c_load(config, port, headers, config.wrk_connections, config.wrk_seconds)
        worst_p99 = max(worst_p99, load["p99"], cross["p99"])
        verdict = "yes" if load["p99"] < P99_TARGET else f"no (x{load['p99'] / P99_TARGET:.1f})"
        verdict += " / " + ("yes" if cross["p99"] < P99_TARGET else f"no (x{cross['p99'] / P99_TARGET:.1f})")
        if load["failures"]:
            verdict += f"; {load['failures']} failed requests"
        rows.append((name, size(body_bytes),
                     f"{load['p50'] * 1000:.2f} / {load['p99'] * 1000:.1f} / {load['max'] * 1000:.0f} ms{bound_note(load)}",
                     f"{load['rps']:,.0f}",
                     f"{cross['p50'] * 1000:.2f} / {cross['p99'] * 1000:.1f} / {cross['max'] * 1000:.0f} ms",
                     f"{cross['rps']:,.0f}",
                     f"{median(cold) * 1000:.0f} ms (max {max(cold) * 1000:.0f})", verdict))
    detail = (f"{fleet.guests:,} simulated guests polled every {fleet.interval:g} s during the run; wrk "
              f"-t{config.wrk_threads} -c{config.wrk_connections} for {config.wrk_seconds} s per row, then the C "
              f"cross-check with {config.wrk_connections} keep-alive connections for as long; cold scrape = median of "
              f"{config.cold_scrapes} single requests 1.2 s apart")
    if inconsistent:
        detail += (f". (!) = wrk's mean latency exceeds connections / requests-per-second, which is impossible for "
                   f"correctly measured latencies (Little's law), so its percentiles are suspect here: "
                   f"{', '.join(inconsistent)}")
    return {"guests": fleet.guests, "rows": rows, "worst_p99": worst_p99, "wrk_commands": commands, "detail": detail}


HEADER = ("format", "body", "wrk p50 / p99 / max", "wrk req/s", "cross-check p50 / p99 / max", "cross-check req/s",
          "cold scrape (Prometheus' case)", "p99 < 10 ms (wrk / cross-check)")
