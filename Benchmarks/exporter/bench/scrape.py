"""Fetching /metrics and reading the few series the benchmarks need from the 0.0.4 text."""
import http.client
import re
import time
from dataclasses import dataclass

PLAIN_004 = "text/plain;version=0.0.4"


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float


def fetch(port, headers=None, timeout=60, path="/metrics"):
    """One GET on a fresh connection, timed from connect to the last body byte."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {"Accept": PLAIN_004})
        reply = connection.getresponse()
        body = reply.read()
        seconds = time.monotonic() - started
        return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, body, seconds)
    finally:
        connection.close()


_GUEST = re.compile(rb'guest="((?:[^"\\]|\\.)*)"')


def per_guest(body, metric):
    """{guest: value} of a per-guest gauge with no other varying label."""
    prefix = metric.encode() + b"{"
    values = {}
    for line in body.splitlines():
        if line.startswith(prefix):
            match = _GUEST.search(line)
            if match:
                values[match.group(1).decode()] = float(line.rsplit(b" ", 1)[1])
    return values


def labelled(body, metric, label):
    """[(label value, value)] of every sample of METRIC (any other labels ignored)."""
    prefix = metric.encode() + b"{"
    pattern = re.compile(label.encode() + rb'="((?:[^"\\]|\\.)*)"')
    found = []
    for line in body.splitlines():
        if line.startswith(prefix):
            match = pattern.search(line)
            if match:
                found.append((match.group(1).decode(), float(line.rsplit(b" ", 1)[1])))
    return found


def polls_finished(body):
    """qga_exporter_polls_total summed over results."""
    return sum(value for _, value in labelled(body, "qga_exporter_polls_total", "result"))


def sample_count(body):
    return sum(1 for line in body.splitlines() if line and not line.startswith(b"#"))


def first_value(body, metric):
    """Value of METRIC's first sample (with or without labels), or None."""
    name = metric.encode()
    for line in body.splitlines():
        if line.startswith(name) and line[len(name):len(name) + 1] in (b"{", b" "):
            return float(line.rsplit(b" ", 1)[1])
    return None
