"""Runs the C raw client (rawclient.c) and reads its per-poll times and CPU use."""
import os
import subprocess

from .commands import COMMANDS, INFO_EVERY


def run(binary, socket_path, polls, interval_seconds, session="per-poll"):
    """Polls the agent POLLS + 1 times (the first is dropped, as the exporter's first poll is).
    session "per-poll": each poll connects, syncs and closes (the exporter's default, timed);
    "once": one connection and sync before the first poll. Returns (poll seconds list, client
    CPU seconds, client context switches)."""
    argv = [binary, "--session", session, socket_path, str(polls + 1), str(int(interval_seconds * 1000)),
            str(INFO_EVERY), *COMMANDS]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"rawclient failed ({process.returncode}): {err.decode(errors='replace').strip()}")
    times = [int(line.split()[1]) / 1e9 for line in out.decode().splitlines() if line.startswith("poll ")]
    return times[1:], usage.ru_utime + usage.ru_stime, usage.ru_nvcsw + usage.ru_nivcsw
