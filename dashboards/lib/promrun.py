"""Runs a real Prometheus on loopback for the live checks, and talks to its HTTP API."""
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def host_port(address):
    """'http://127.0.0.1:9957/' or '127.0.0.1:9957' -> '127.0.0.1:9957'."""
    parsed = urllib.parse.urlparse(address if "//" in address else "http://" + address)
    return parsed.netloc


def http_get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


class Prometheus:
    """A Prometheus process with its own temp dir; use as a context manager."""

    def __init__(self, name, config, extra_flags=(), keep=False):
        self.name, self.config, self.extra_flags, self.keep = name, config, list(extra_flags), keep
        self.port = None
        self.proc = None
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix=f"qga-{name}-"))

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        binary = os.environ.get("PROMETHEUS", "prometheus")
        config_path = self.dir / "prometheus.yml"
        config_path.write_text(yaml.safe_dump(self.config, sort_keys=False))
        for attempt in range(3):  # another process may take the port between probe and bind
            self.port = free_port()
            log = open(self.dir / "prometheus.log", "w")
            self.proc = subprocess.Popen(
                [binary, f"--config.file={config_path}",
                 f"--storage.tsdb.path={self.dir / 'data'}",
                 f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn",
                 *self.extra_flags],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            if self._wait_ready(30):
                return self
            self._stop()
        raise RuntimeError(f"{self.name}: Prometheus did not become ready; log:\n{self.log()}")

    def __exit__(self, *exc):
        self._stop()
        if exc[0] is not None or self.keep:
            print(f"{self.name}: files kept in {self.dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def _wait_ready(self, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                http_get(f"{self.url}/-/ready", timeout=2)
                return True
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        return False

    def _stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self):
        path = self.dir / "prometheus.log"
        return path.read_text() if path.exists() else ""

    def api(self, path, **params):
        """GET /api/v1/<path>; returns (status, data or error text)."""
        query = urllib.parse.urlencode(params, doseq=True)
        try:
            body = http_get(f"{self.url}/api/v1/{path}?{query}", timeout=30)
        except urllib.error.HTTPError as err:
            body = err.read().decode()
        reply = json.loads(body)
        if reply.get("status") != "success":
            return "error", f"{reply.get('errorType')}: {reply.get('error')}"
        return "success", reply["data"]

    def query(self, expr):
        """Instant query: (status, list of result series or error)."""
        status, data = self.api("query", query=expr)
        return status, (data["result"] if status == "success" else data)

    def query_range(self, expr, seconds=30, step=1):
        end = time.time()
        status, data = self.api("query_range", query=expr, start=end - seconds, end=end, step=step)
        return status, (data["result"] if status == "success" else data)

    def value(self, expr, default=0.0):
        """A scalar from an instant query returning one series, else `default`."""
        status, result = self.query(expr)
        if status != "success" or not result:
            return default
        return float(result[0]["value"][1])

    def wait_for(self, description, predicate, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if predicate():
                return True
            time.sleep(1)
        print(f"{self.name}: timed out after {timeout}s waiting for {description}", file=sys.stderr)
        return False


class Tally:
    """PASS/FAIL lines and the closing 'N passed, N failed' line."""

    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS {what}{(': ' + detail) if detail else ''}")
        else:
            self.failed += 1
            print(f"FAIL {what}{(': ' + detail) if detail else ''}")
        return ok

    def finish(self):
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        return 1 if self.failed or not self.passed else 0
