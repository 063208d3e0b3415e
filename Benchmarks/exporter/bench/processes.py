"""Starting and stopping what a benchmark measures: qemu-ga, qga-sim and the exporter."""
import os
import signal
import socket
import subprocess
import time

from . import scrape


class StartupError(RuntimeError):
    pass


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise StartupError(f"timed out after {timeout:.0f} s waiting for {what}")


class Managed:
    """A child process that is stopped (SIGTERM, then SIGKILL) when the benchmark leaves it."""

    def __init__(self, name, argv, log_path, stdout=None):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        self.log = open(log_path, "ab")
        self.process = subprocess.Popen(argv, stdout=stdout or self.log, stderr=self.log,
                                        stdin=subprocess.DEVNULL)
        self.pid = self.process.pid

    def check_alive(self):
        if self.process.poll() is not None:
            raise StartupError(f"{self.name} exited with {self.process.returncode}; see {self.log_path}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def start_qemu_ga(binary, directory, blocked):
    """A real qemu-ga on this host. It acts on this machine, so every state-changing command is
    blocked (the list comes from scripts/blocked-rpcs)."""
    if not blocked or "guest-shutdown" not in blocked or "guest-fsfreeze-freeze" not in blocked:
        raise StartupError("refusing to start qemu-ga without the blocked-command list")
    path = os.path.join(directory, "qga.sock")
    state = os.path.join(directory, "qga-state")
    os.makedirs(state, exist_ok=True)
    agent = Managed("qemu-ga", [binary, "-m", "unix-listen", "-p", path, "-t", state, "-b", blocked],
                    os.path.join(directory, "qemu-ga.log"))
    try:
        wait_for(lambda: os.path.exists(path) or agent.process.poll() is not None, 10, "qemu-ga's socket")
        agent.check_alive()
    except BaseException:
        agent.stop()
        raise
    agent.socket = path
    return agent


def start_exporter(binary, directory, arguments, tag):
    """The exporter on a free loopback port; returns once /metrics answers."""
    port = free_port()
    argv = [binary, "--web.listen-address", f"127.0.0.1:{port}", "--log.level", "warn", *arguments]
    exporter = Managed("qga_exporter", argv, os.path.join(directory, f"exporter-{tag}.log"))
    exporter.port = port

    def answering():
        exporter.check_alive()
        try:
            return scrape.fetch(port, timeout=2).status == 200
        except OSError:
            return False

    try:
        wait_for(answering, 30, "the exporter's /metrics")
    except BaseException:
        exporter.stop()
        raise
    return exporter


def start_simulator(binary, directory, guests, tag, threads=None):
    """qga-sim with GUESTS fault-free guests; returns once it printed that it started."""
    sockets = os.path.join(directory, f"sim-{tag}")
    argv = [binary, "--guests", str(guests), "--dir", sockets, "--seed", "8"]
    if threads:
        argv += ["--threads", str(threads)]
    stdout_path = os.path.join(directory, f"sim-{tag}.out")
    with open(stdout_path, "wb") as out:
        sim = Managed("qga-sim", argv, os.path.join(directory, f"sim-{tag}.log"), stdout=out)

    def started():
        sim.check_alive()
        with open(stdout_path, "rb") as out:
            return b"started in" in out.read()

    try:
        wait_for(started, 120, f"qga-sim to open {guests} sockets")
    except BaseException:
        sim.stop()
        raise
    sim.sockets = sockets
    return sim
