"""Benchmarks/exporter/run's Python side; the shell script builds the binaries and calls it."""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

from . import cpu_cost, fleet_scale, metrics_load, poll_cost, processes, report
from .commands import COMMANDS


@dataclass
class Config:
    exporter: str
    sim: str
    rawclient: str
    qemu_ga: str
    root: str
    loadclient: str = ""
    workdir: str = ""
    blocked: str = ""
    poll_interval: float = 0.25
    poll_count: int = 40
    poll_rounds: int = 3
    cpu_interval: float = 0.1
    cpu_seconds: float = 30
    fleet_sizes: list = field(default_factory=lambda: [10, 100, 1000, 5000])
    fleet_interval: float = 15
    fleet_cycles: int = 4
    load_guests: int = 1000
    wrk_threads: int = 1
    wrk_connections: int = 4
    wrk_seconds: int = 10
    cold_scrapes: int = 10


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse(argv):
    parser = argparse.ArgumentParser(prog="Benchmarks/exporter/run", description=__doc__)
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--sim", required=True)
    parser.add_argument("--rawclient", required=True)
    parser.add_argument("--loadclient", required=True)
    parser.add_argument("--qemu-ga", default="/usr/sbin/qemu-ga")
    parser.add_argument("--root", required=True)
    parser.add_argument("--command", default="Benchmarks/exporter/run")
    parser.add_argument("--quick", action="store_true", help="short runs and small fleets, to check the harness")
    parser.add_argument("--only", action="append", default=[], help="benchmark numbers to run (1-4, comma-separated)")
    parser.add_argument("--sizes", help="fleet sizes for benchmark 3, e.g. 10,100,1000,5000")
    parser.add_argument("--interval", type=float, help="fleet poll interval in seconds (default 15)")
    parser.add_argument("--load-guests", type=int, help="fleet size for benchmark 4 (default 1000)")
    parser.add_argument("--write", action="store_true", help="also write BENCHMARKS.md at the repository root")
    parser.add_argument("--note", help="a remark for the report (e.g. 'taken under load')")
    return parser.parse_args(argv)


def make_config(args):
    config = Config(exporter=args.exporter, sim=args.sim, rawclient=args.rawclient, qemu_ga=args.qemu_ga, root=args.root,
                    loadclient=args.loadclient)
    config.blocked = os.environ.get("QGA_BLOCKED_RPCS", "")
    if args.quick:
        config.poll_count, config.poll_rounds = 15, 1
        config.cpu_seconds = 8
        config.fleet_sizes, config.fleet_cycles = [10, 100], 2
        config.load_guests = 100
        config.wrk_seconds, config.cold_scrapes = 3, 3
    if args.sizes:
        config.fleet_sizes = [int(size) for size in args.sizes.split(",")]
    if args.interval:
        config.fleet_interval = args.interval
    if args.load_guests:
        config.load_guests = args.load_guests
    return config


def wanted(args):
    numbers = {int(n) for item in args.only for n in item.split(",") if n}
    return numbers or {1, 2, 3, 4}


def section_poll(result):
    return (report.table(("figure", "value", "target", "met"), result["rows"]) + "\n\n"
            f"{result['detail']}. Commands: guest-info (every 20th poll), {', '.join(COMMANDS)}.")


def section_cpu(result):
    return report.table(("figure", "value", "target", "met"), result["rows"]) + f"\n\n{result['detail']}."


def section_fleet(config, results):
    text = report.table(fleet_scale.HEADER, [fleet_scale.row(r, 0.6 * config.fleet_interval) for r in results])
    verdicts = fleet_scale.verdicts(results)
    if verdicts:
        text += "\n\n" + report.table(("target (at 1,000 guests)", "value", "target", "met"), verdicts)
    windows = ", ".join(f"{r['guests']:,}: {r['window']:.0f} s" for r in results)
    text += (f"\n\nPoll interval {config.fleet_interval:g} s, `jitter: 0`, default concurrency (64) and timeout, "
             f"discovery glob over qga-sim's socket directory, qga-sim with no faults. Cycle = last poll end minus "
             f"first poll start among the polls of one due time, median over {config.fleet_cycles} cycles after the "
             f"first (which connects). CPU = utime+stime / wall over the measured window ({windows}), which includes "
             f"one /metrics scrape per interval. RSS = VmRSS at the end; peak = VmHWM. qga-sim shares the 2 cores.")
    return text


def section_load(result):
    return (report.table(metrics_load.HEADER, result["rows"]) + f"\n\n{result['detail']}.\n\n"
            + "\n".join(f"    {command}" for command in result["wrk_commands"]))


def agent_version(binary):
    out = subprocess.run([binary, "-V"], capture_output=True, text=True).stdout.strip()
    return out or "qemu-ga (version unknown)"


def main(argv):
    args = parse(argv)
    config = make_config(args)
    numbers = wanted(args)
    context = {"root": args.root, "command": args.command, "note": args.note,
               "load_before": report.load_average(), "agent_version": agent_version(config.qemu_ga)}
    sections = []
    with tempfile.TemporaryDirectory(prefix="qga-bench-") as workdir:
        config.workdir = workdir
        if numbers & {1, 2}:
            agent = processes.start_qemu_ga(config.qemu_ga, workdir, config.blocked)
            with agent:
                if 1 in numbers:
                    log("1: per-guest poll wall time, exporter vs raw client, real qemu-ga")
                    sections.append(("1. Per-guest poll wall time against the real qemu-ga", section_poll(poll_cost.run(config, agent.socket))))
                if 2 in numbers:
                    log("2: CPU per poll, exporter vs agent")
                    sections.append(("2. CPU per poll: exporter vs agent", section_cpu(cpu_cost.run(config, agent))))
        load_result = None
        if 3 in numbers:
            results = []
            for guests in config.fleet_sizes:
                log(f"3: fleet of {guests:,} simulated guests")
                with fleet_scale.RunningFleet(config, guests) as fleet:
                    results.append(fleet_scale.measure(fleet, config.fleet_cycles))
                    if 4 in numbers and guests == config.load_guests:
                        log(f"4: /metrics under load at {guests:,} guests")
                        load_result = metrics_load.run(config, fleet)
            sections.append(("3. Fleet scale with qga-sim", section_fleet(config, results)))
        if 4 in numbers and load_result is None:
            log(f"4: /metrics under load at {config.load_guests:,} guests")
            with fleet_scale.RunningFleet(config, config.load_guests) as fleet:
                load_result = metrics_load.run(config, fleet)
        if load_result:
            sections.append((f"4. /metrics under load at {load_result['guests']:,} guests", section_load(load_result)))
    sections.sort(key=lambda section: section[0])
    markdown = report.render(context, sections)
    print(markdown)
    if args.write:
        with open(os.path.join(args.root, "BENCHMARKS.md"), "w") as file:
            file.write(markdown)
        log("wrote BENCHMARKS.md")


if __name__ == "__main__":
    main(sys.argv[1:])
