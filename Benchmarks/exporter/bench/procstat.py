"""CPU time and memory of a process, read from /proc as the issue asks (utime + stime)."""
import os

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU seconds of every thread of the process so far."""
    with open(f"/proc/{pid}/stat") as stat:
        text = stat.read()
    # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    fields = text[text.rindex(")") + 2:].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / CLOCK_TICKS


def memory_bytes(pid):
    """(resident now, peak resident) in bytes, from /proc/PID/status."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) * 1024  # reported in kB
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def context_switches(pid):
    """Voluntary + involuntary context switches of every thread of the process so far."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as status:
                for line in status:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except FileNotFoundError:
            continue  # the thread ended meanwhile
    return total


class CPUMeter:
    """CPU seconds of several processes between two moments, with the wall time between them."""

    def __init__(self, clock, **pids):
        self.clock = clock
        self.pids = pids
        self.start()

    def start(self):
        self.started = self.clock()
        self.first = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def read(self):
        """{name: CPU seconds since start}, wall seconds since start."""
        wall = self.clock() - self.started
        return {name: cpu_seconds(pid) - self.first[name] for name, pid in self.pids.items()}, wall
