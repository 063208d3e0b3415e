"""A minimal qemu-ga client over a unix socket (python3 stdlib only), for the VM scripts.

It follows the protocol rules of DESIGN.md section 3: lead with 0xFF + guest-sync-delimited and
skip everything up to the sentinel, give every request an id and drop replies with another id.
"""

import base64
import json
import random
import socket
import time


class AgentError(Exception):
    """The agent answered with {"error": {...}}."""

    def __init__(self, command, error):
        super().__init__(f"{command}: {error.get('class')}: {error.get('desc')}")
        self.error_class = error.get("class")


class AgentTimeout(Exception):
    """No (matching) answer within the deadline."""


class AgentClosed(Exception):
    """The socket reached EOF."""


class Agent:
    def __init__(self, path, connect_timeout=5.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(connect_timeout)
        self.sock.connect(path)
        self.buffer = b""
        self.next_id = random.randint(1, 1 << 30)

    def close(self):
        self.sock.close()

    def _read_more(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AgentTimeout("no answer before the deadline")
        self.sock.settimeout(remaining)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise AgentTimeout("no answer before the deadline") from None
        if not data:
            raise AgentClosed("the agent socket reached EOF")
        self.buffer += data

    def _read_line(self, deadline):
        while b"\n" not in self.buffer:
            self._read_more(deadline)
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line

    def sync(self, timeout, attempt_timeout=5.0):
        """Resynchronises the stream; returns once the agent answered. While a guest boots the
        socket accepts and stays silent, and a request sent before the agent opened its port may
        be lost, so every attempt_timeout the sync is sent again with a fresh id."""
        deadline = time.monotonic() + timeout
        while True:
            sync_id = random.randint(1, 1 << 30)
            request = {"execute": "guest-sync-delimited", "arguments": {"id": sync_id}}
            self.sock.sendall(b"\xff" + json.dumps(request).encode())
            attempt_deadline = min(deadline, time.monotonic() + attempt_timeout)
            try:
                while True:
                    # Everything before the agent's 0xFF sentinel is stale or noise.
                    while b"\xff" not in self.buffer:
                        self._read_more(attempt_deadline)
                    self.buffer = self.buffer.split(b"\xff", 1)[1]
                    line = self._read_line(attempt_deadline)
                    try:
                        if json.loads(line).get("return") == sync_id:
                            return
                    except ValueError:
                        pass
            except AgentTimeout:
                if time.monotonic() >= deadline:
                    raise AgentTimeout(f"guest-sync-delimited unanswered for {timeout:.0f} s") from None

    def send(self, command, arguments=None):
        """Sends a request and returns its id without waiting for the answer."""
        self.next_id += 1
        request = {"execute": command, "id": self.next_id}
        if arguments is not None:
            request["arguments"] = arguments
        self.sock.sendall(json.dumps(request).encode())
        return self.next_id

    def call(self, command, arguments=None, timeout=30.0):
        request_id = self.send(command, arguments)
        deadline = time.monotonic() + timeout
        while True:
            try:
                reply = json.loads(self._read_line(deadline))
            except ValueError:
                continue
            if reply.get("id") != request_id:
                continue  # a stale reply to an earlier request
            if "error" in reply:
                raise AgentError(command, reply["error"])
            return reply.get("return")

    def wait_eof(self, timeout):
        """Reads until EOF; True if it came before the timeout."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                self._read_more(deadline)
        except AgentClosed:
            return True
        except AgentTimeout:
            return False

    def run(self, path, args=(), timeout=30.0):
        """guest-exec with captured output; waits for the exit and returns (code, stdout, stderr)."""
        deadline = time.monotonic() + timeout
        arguments = {"path": path, "arg": list(args), "capture-output": True}
        started = self.call("guest-exec", arguments, timeout)
        while time.monotonic() < deadline:
            status = self.call("guest-exec-status", {"pid": started["pid"]}, deadline - time.monotonic())
            if status.get("exited"):
                decode = lambda key: base64.b64decode(status.get(key, "")).decode(errors="replace")
                return status.get("exitcode"), decode("out-data"), decode("err-data")
            time.sleep(0.1)
        raise AgentTimeout(f"{path} did not exit within {timeout:.0f} s")
