"""Benchmark 2: CPU time the exporter spends per poll of one real qemu-ga, divided by the CPU
time the agent spends serving that poll, both from /proc/PID/stat (utime + stime) over a
sustained run of fast polls. The same run with the raw client in the exporter's place gives the
floor: what any client costs.

Nothing scrapes the exporter inside the measured window (the poll counter is read just before
and just after it), so the exporter's figure is polling plus its idle housekeeping."""
import time

from . import processes, rawclient, scrape
from .procstat import CLOCK_TICKS, CPUMeter, context_switches

WARM_UP_SECONDS = 3


def run(config, agent):
    interval = config.cpu_interval
    exporter = processes.start_exporter(
        config.exporter, config.workdir,
        ["--guest", f"bench=unix:{agent.socket}", "--poll.interval", f"{int(interval * 1000)}ms"], "cpu")
    with exporter:
        time.sleep(WARM_UP_SECONDS)
        polls_before = scrape.polls_finished(scrape.fetch(exporter.port).body)
        switches_before = context_switches(exporter.pid)
        meter = CPUMeter(time.monotonic, exporter=exporter.pid, agent=agent.pid)
        # The window is longer than /metrics' one-second cache, so the scrape after it renders afresh.
        time.sleep(max(config.cpu_seconds, 2))
        cpu, wall = meter.read()
        switches = context_switches(exporter.pid) - switches_before
        polls = scrape.polls_finished(scrape.fetch(exporter.port).body) - polls_before
    exporter_per_poll = cpu["exporter"] / polls
    agent_per_poll = cpu["agent"] / polls
    ratio = exporter_per_poll / agent_per_poll

    # The floor: the C client polling the same agent on the same schedule, as many times, with a
    # session per poll as the exporter; then with one session for all polls, which shows what the
    # per-poll connect and sync cost the agent.
    agent_before = CPUMeter(time.monotonic, agent=agent.pid)
    _, raw_cpu, raw_switches = rawclient.run(config.rawclient, agent.socket, int(polls), interval)
    raw_agent, _ = agent_before.read()
    raw_per_poll = raw_cpu / (polls + 1)
    raw_agent_per_poll = raw_agent["agent"] / (polls + 1)
    agent_before = CPUMeter(time.monotonic, agent=agent.pid)
    rawclient.run(config.rawclient, agent.socket, int(polls), interval, session="once")
    once_agent, _ = agent_before.read()
    once_agent_per_poll = once_agent["agent"] / (polls + 1)

    def ms(value):
        return f"{value * 1000:.3f} ms"

    return {
        "sync_agent_cpu_per_poll": raw_agent_per_poll - once_agent_per_poll,
        "exporter_cpu_per_poll": exporter_per_poll, "agent_cpu_per_poll": agent_per_poll, "ratio": ratio,
        "polls": polls, "wall": wall,
        "rows": [
            ("exporter CPU per poll", ms(exporter_per_poll), "", ""),
            ("agent CPU per poll (serving the exporter)", ms(agent_per_poll), "", ""),
            ("exporter CPU / agent CPU", f"{ratio:.2f}", "<= 1.0", "yes" if ratio <= 1.0 else f"no (+{(ratio - 1) * 100:.0f}%)"),
            ("exporter context switches per poll (all threads)", f"{switches / polls:.0f}", "", ""),
            ("raw C client CPU per poll (floor)", ms(raw_per_poll), "", ""),
            ("raw C client context switches per poll", f"{raw_switches / (polls + 1):.0f}", "", ""),
            ("agent CPU per poll (serving the raw client)", ms(raw_agent_per_poll), "", ""),
            ("agent CPU per poll (raw client, one session for all polls)", ms(once_agent_per_poll), "", ""),
            ("agent CPU per poll added by the per-poll connect + sync", ms(raw_agent_per_poll - once_agent_per_poll), "", ""),
        ],
        "detail": f"{int(polls)} polls in {wall:.1f} s at --poll.interval {int(interval * 1000)}ms after a "
                  f"{WARM_UP_SECONDS} s warm-up; /proc counts in {1000 / CLOCK_TICKS:.0f} ms ticks, so per-poll "
                  f"figures are good to about {1000 / CLOCK_TICKS / max(polls, 1):.3f} ms",
    }
