"""Benchmark 3: the exporter polling a qga-sim fleet of N guests found by a discovery glob, at
the production interval. For each N: how long one cycle takes (every guest polled once), the
exporter's average CPU (% of one core) over a few intervals, and its resident memory.

The config sets `jitter: 0`, so every guest falls due at the same instant and a cycle measures
the exporter's throughput (the default jitter would spread the starts over 10% of the interval by
design, which says nothing about speed). A cycle's length is read from the exporter's own
per-guest `qga_last_poll_timestamp_seconds` and `qga_poll_duration_seconds`: the last poll's end
minus the first poll's start. /metrics is scraped once per interval (as Prometheus would), at 60%
of it, so the scrape is inside the CPU figure but not inside a cycle."""
import os
import time

from . import processes, scrape
from .procstat import CPUMeter, memory_bytes
from .stats import megabytes, median, size


class RunningFleet:
    """qga-sim with N guests and an exporter discovering them, after its first full cycle."""

    def __init__(self, config, guests):
        self.config = config
        self.guests = guests
        self.interval = config.fleet_interval

    def __enter__(self):
        config = self.config
        self.sim = processes.start_simulator(config.sim, config.workdir, self.guests, tag=str(self.guests))
        try:
            config_path = os.path.join(config.workdir, f"exporter-{self.guests}.yml")
            with open(config_path, "w") as file:
                file.write(f"poll:\n  interval: {self.interval:g}s\n  jitter: 0\n"
                           f"discovery:\n  - glob: {self.sim.sockets}/*.sock\n")
            self.exporter = processes.start_exporter(config.exporter, config.workdir,
                                                     ["--config.file", config_path], f"fleet-{self.guests}")
            try:
                self.first_cycle_start = self._wait_for_first_cycle()
            except BaseException:
                self.exporter.stop()
                raise
        except BaseException:
            self.sim.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.exporter.stop()
        self.sim.stop()

    def _wait_for_first_cycle(self):
        deadline = time.monotonic() + 120 + self.guests * 0.05
        while time.monotonic() < deadline:
            time.sleep(1.1)  # /metrics is rendered at most once a second
            self.exporter.check_alive()
            body = scrape.fetch(self.exporter.port).body
            if scrape.polls_finished(body) >= self.guests:
                up = scrape.first_value(body, "qga_exporter_guests_up")
                if up != self.guests:
                    raise RuntimeError(f"only {up} of {self.guests} simulated guests are up after the first cycle")
                finished = scrape.per_guest(body, "qga_last_poll_timestamp_seconds")
                durations = scrape.per_guest(body, "qga_poll_duration_seconds")
                return min(finished[guest] - durations[guest] for guest in finished)
        raise RuntimeError(f"the first cycle over {self.guests} guests did not finish")

    def tick(self, number):
        """Unix time at which cycle NUMBER (0 = the first) falls due."""
        return self.first_cycle_start + number * self.interval


def cycle_seconds(body, guests, due, interval):
    """Last end minus first start of the polls that began at or after DUE; None if some guest
    has not been polled yet in this cycle."""
    finished = scrape.per_guest(body, "qga_last_poll_timestamp_seconds")
    durations = scrape.per_guest(body, "qga_poll_duration_seconds")
    in_cycle = [(finished[guest] - durations[guest], finished[guest])
                for guest in finished if finished[guest] >= due - 0.25 * interval]
    if len(in_cycle) < guests:
        return None
    return max(end for _, end in in_cycle) - min(start for start, _ in in_cycle)


def measure(fleet, cycles):
    interval = fleet.interval
    cycle_times, incomplete, scrape_times = [], 0, []
    meter = None
    body = b""
    for number in range(1, cycles + 1):
        wait = fleet.tick(number) + 0.6 * interval - time.time()
        if wait > 0:
            time.sleep(wait)
        response = scrape.fetch(fleet.exporter.port)
        body = response.body
        scrape_times.append(response.seconds)
        if meter is None:
            meter = CPUMeter(time.monotonic, exporter=fleet.exporter.pid, sim=fleet.sim.pid)
        seconds = cycle_seconds(body, fleet.guests, fleet.tick(number), interval)
        if seconds is None:
            incomplete += 1
        else:
            cycle_times.append(seconds)
    cpu, wall = meter.read()
    resident, peak = memory_bytes(fleet.exporter.pid)
    return {
        "guests": fleet.guests,
        "cycle_median": median(cycle_times) if cycle_times else None,
        "cycle_max": max(cycle_times) if cycle_times else None,
        "incomplete": incomplete,
        "cpu_percent": 100 * cpu["exporter"] / wall if wall > 0 else float("nan"),
        "sim_cpu_percent": 100 * cpu["sim"] / wall if wall > 0 else float("nan"),
        "rss": resident, "peak_rss": peak,
        "body_bytes": len(body), "samples": scrape.sample_count(body),
        "scrape_median": median(scrape_times),
        "window": wall, "cycles": cycles,
    }


def row(result, cycle_at):
    cycle = "n/a" if result["cycle_median"] is None else f"{result['cycle_median']:.2f} s (max {result['cycle_max']:.2f})"
    if result["incomplete"]:
        cycle += f"; {result['incomplete']} cycle(s) unfinished at {cycle_at:.0f} s"
    return (f"{result['guests']:,}", cycle, f"{result['cpu_percent']:.2f}%", megabytes(result["rss"]),
            megabytes(result["peak_rss"]), f"{result['samples']:,} / {size(result['body_bytes'])}",
            f"{result['scrape_median'] * 1000:.0f} ms", f"{result['sim_cpu_percent']:.1f}%")


HEADER = ("guests", "cycle (median of cycles)", "exporter CPU, % of one core", "RSS", "peak RSS",
          "/metrics samples / size (0.0.4)", "/metrics cold render", "qga-sim CPU")

TARGET_GUESTS = 1000


def verdicts(results):
    """The issue's targets at 1,000 guests."""
    at = next((r for r in results if r["guests"] == TARGET_GUESTS), None)
    if at is None:
        return []
    rows = []
    cycle = at["cycle_max"]
    if cycle is None:
        rows.append(("cycle at 1,000 guests", "unfinished", "< 2 s", "no"))
    else:
        rows.append(("cycle at 1,000 guests (worst)", f"{cycle:.2f} s", "< 2 s",
                     "yes" if cycle < 2 and not at["incomplete"] else f"no (x{cycle / 2:.1f})"))
    cpu = at["cpu_percent"]
    rows.append(("exporter CPU at 1,000 guests", f"{cpu:.2f}% of one core", "< 10%",
                 "yes" if cpu < 10 else f"no (x{cpu / 10:.1f})"))
    rss = at["peak_rss"]
    limit = 150 * 1000 * 1000
    rows.append(("exporter peak RSS at 1,000 guests", megabytes(rss), "< 150 MB",
                 "yes" if rss < limit else f"no (x{rss / limit:.1f})"))
    return rows
