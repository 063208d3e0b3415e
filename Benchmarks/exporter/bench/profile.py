"""Where the exporter's CPU goes with a simulated fleet: `perf record` on the exporter while it
polls N qga-sim guests (and, optionally, serves a cold /metrics scrape every few seconds), then
perf's flat profile by shared object and symbol, demangled.

    Benchmarks/exporter/profile [--guests 1000] [--seconds 30] [--scrape-every 0] [--interval 15]"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

from . import fleet_scale, scrape
from .__main__ import Config, log
from .metrics_load import PROMETHEUS_3_ACCEPT


def main(argv):
    parser = argparse.ArgumentParser(prog="Benchmarks/exporter/profile")
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--sim", required=True)
    parser.add_argument("--root", required=True)
    parser.add_argument("--guests", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--interval", type=float, default=15)
    parser.add_argument("--scrape-every", type=float, default=0,
                        help="seconds between cold /metrics scrapes (Prometheus 3's headers, gzip); 0: none")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--keep", help="copy perf.data here")
    args = parser.parse_args(argv)
    if not shutil.which("perf"):
        sys.exit("profile: perf is missing (apt-get install linux-perf)")
    config = Config(exporter=args.exporter, sim=args.sim, rawclient="", qemu_ga="", root=args.root)
    config.fleet_interval = args.interval
    with tempfile.TemporaryDirectory(prefix="qga-profile-") as workdir:
        config.workdir = workdir
        data = os.path.join(workdir, "perf.data")
        with fleet_scale.RunningFleet(config, args.guests) as fleet:
            log(f"recording {args.seconds:g} s of the exporter with {args.guests:,} guests")
            recorder = subprocess.Popen(["perf", "record", "-F", "999", "-g", "-o", data, "-p", str(fleet.exporter.pid),
                                         "--", "sleep", str(args.seconds)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            scrapes = 0
            while recorder.poll() is None:
                if args.scrape_every > 0:
                    time.sleep(args.scrape_every)
                    scrape.fetch(fleet.exporter.port, headers={"Accept": PROMETHEUS_3_ACCEPT, "Accept-Encoding": "gzip"})
                    scrapes += 1
                else:
                    time.sleep(0.5)
            recorder.wait()
        flat = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso,sym", "--stdio", "-g", "none"],
                              capture_output=True, text=True).stdout
        lines = [line for line in flat.splitlines() if line.strip() and not line.startswith("#")][:args.top]
        demangle = shutil.which("swift-demangle")
        text = "\n".join(lines)
        if demangle:
            text = subprocess.run([demangle, "--simplified"], input=text, capture_output=True, text=True).stdout
        inclusive = subprocess.run(["perf", "report", "-i", data, "--children", "--sort", "sym", "--dsos", "qga_exporter",
                                    "--stdio", "-g", "none"], capture_output=True, text=True).stdout
        inclusive_lines = [line for line in inclusive.splitlines() if line.strip() and not line.startswith("#")][:args.top]
        inclusive_text = "\n".join(inclusive_lines)
        if demangle:
            inclusive_text = subprocess.run([demangle, "--simplified"], input=inclusive_text, capture_output=True, text=True).stdout
        print(f"# {args.guests} guests, {args.seconds:g} s, interval {args.interval:g} s, {scrapes} scrapes")
        print("## self time by shared object and symbol")
        print(text)
        print("## inclusive time (children) of the exporter's own functions")
        print(inclusive_text)
        if args.keep:
            shutil.copy(data, args.keep)


if __name__ == "__main__":
    main(sys.argv[1:])
