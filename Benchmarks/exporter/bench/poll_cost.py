"""Benchmark 1: wall time of one full poll of one real qemu-ga, the exporter against a minimal
raw client sending the same commands to the same agent.

The agent serves one client at a time, so the two take turns: each round runs the raw client for
POLLS polls, then an exporter for POLLS polls, on the same schedule (one poll per INTERVAL).
Rounds alternate so that a change in the machine's load hits both sides alike. The exporter's
time is its own `qga_poll_duration_seconds` (start of the poll to its last reply decoded and
turned into families), read half-way between two polls so reading never overlaps a poll; the
first poll (connect + sync) is dropped on both sides."""
import time

from . import commands, processes, rawclient, scrape
from .stats import median, milliseconds, percentile

GUEST = "bench"


def exporter_polls(exporter, polls, interval):
    """Poll durations of the exporter's polls 2..POLLS+1 (poll 1 connects and syncs).

    `/metrics` is rendered at most once a second, so each poll is read from the uncached
    `/probe?module=qga` instead; one fresh `/metrics` gives the poll counter at a known poll,
    and later polls are numbered from it by the fixed schedule."""
    probe_path = f"/probe?target={GUEST}&module=qga"

    def last_poll():
        body = scrape.fetch(exporter.port, path=probe_path).body
        return scrape.first_value(body, "qga_last_poll_timestamp_seconds"), scrape.first_value(body, "qga_poll_duration_seconds")

    def sleep_to_midway(finished, duration):
        """Until half-way between the next poll and the one after it."""
        wait = finished - duration + interval * 1.5 - time.time()
        while wait <= 0.02:
            wait += interval
        time.sleep(wait)

    processes.wait_for(lambda: last_poll()[0] is not None, 30, "the exporter's first poll")
    time.sleep(1.1)  # let the render made by start_exporter's readiness check expire
    sleep_to_midway(*last_poll())
    # /metrics may answer from a body made up to a few seconds ago while a fresh one renders in
    # the background (ExpositionCache); the anchor must come from a body that has the guest.
    anchor_body = scrape.fetch(exporter.port).body
    for _ in range(100):
        if GUEST in scrape.per_guest(anchor_body, "qga_last_poll_timestamp_seconds"):
            break
        time.sleep(0.1)
        anchor_body = scrape.fetch(exporter.port).body
    anchor_number = int(scrape.polls_finished(anchor_body))
    anchor_finished = scrape.per_guest(anchor_body, "qga_last_poll_timestamp_seconds")[GUEST]
    commands.check_exporter_matches(scrape.labelled(anchor_body, "qga_scrape_collector_success", "collector"))

    seen = {}
    deadline = time.monotonic() + polls * interval * 4 + 30
    while len(seen) < polls and time.monotonic() < deadline:
        finished, duration = last_poll()
        number = anchor_number + round((finished - anchor_finished) / interval)
        if number >= 2:
            seen.setdefault(number, duration)
        sleep_to_midway(finished, duration)
    if len(seen) < polls:
        raise RuntimeError(f"saw only {len(seen)} of {polls} exporter polls")
    return [seen[number] for number in sorted(seen)][:polls]


def run(config, agent_socket):
    raw_times, exporter_times, missed = [], [], 0
    interval = config.poll_interval
    for round_number in range(config.poll_rounds):
        times, _, _ = rawclient.run(config.rawclient, agent_socket, config.poll_count, interval)
        raw_times += times
        exporter = processes.start_exporter(
            config.exporter, config.workdir,
            ["--guest", f"{GUEST}=unix:{agent_socket}", "--poll.interval", f"{int(interval * 1000)}ms"],
            f"poll-{round_number}")
        with exporter:
            exporter_times += exporter_polls(exporter, config.poll_count, interval)
    raw_median, exporter_median = median(raw_times), median(exporter_times)
    ratio = exporter_median / raw_median
    return {
        "raw_median": raw_median, "raw_p90": percentile(raw_times, 0.9),
        "exporter_median": exporter_median, "exporter_p90": percentile(exporter_times, 0.9),
        "ratio": ratio, "polls": len(exporter_times), "raw_polls": len(raw_times),
        "rows": [
            ("raw client poll, median (p90)", f"{milliseconds(raw_median, 3)} ({milliseconds(percentile(raw_times, 0.9), 3)})", "", ""),
            ("exporter poll, median (p90)", f"{milliseconds(exporter_median, 3)} ({milliseconds(percentile(exporter_times, 0.9), 3)})", "", ""),
            ("exporter / raw client (medians)", f"{ratio:.2f}", "<= 1.2", "yes" if ratio <= 1.2 else f"no (+{(ratio / 1.2 - 1) * 100:.0f}%)"),
        ],
        "detail": f"{config.poll_rounds} alternating rounds x {config.poll_count} polls per side, one poll every "
                  f"{int(interval * 1000)} ms, {len(commands.COMMANDS)} commands per poll + guest-info every "
                  f"{commands.INFO_EVERY}th",
    }
