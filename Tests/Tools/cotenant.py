#!/usr/bin/env python3
"""A co-tenant of a guest agent's socket, modelled on Proxmox VE's own agent calls.

Each call is one short session, as Proxmox VE makes it for the GUI's IP list, `qm guest cmd`,
shutdown and vzdump's freeze/thaw: connect, 0xFF + guest-sync-delimited, one command, close,
everything within one timeout (3 s by default). A connect refused because the socket's listen
backlog is full (EAGAIN) fails the call at once, as it does for Proxmox VE: no retry.

  cotenant.py calls SOCKET --calls 100 --seconds 20        spread calls evenly, report latencies
  cotenant.py call SOCKET COMMAND                          one call, print its reply
  cotenant.py backup SOCKET --frozen-seconds 6             freeze, wait, thaw (backup tools)

Prints one JSON object on stdout; exits 0 when every call was answered.
"""

import argparse
import json
import random
import socket
import sys
import time

READ_ONLY_ROTATION = ["guest-ping", "guest-network-get-interfaces", "guest-get-osinfo", "guest-info"]


class CallFailed(Exception):
    pass


def one_call(path, command, arguments=None, timeout=3.0):
    """One Proxmox-style session. Returns (reply, seconds); raises CallFailed."""
    started = time.monotonic()
    deadline = started + timeout
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        try:
            sock.connect(path)
        except OSError as error:
            raise CallFailed(f"connect: {error.strerror or error}") from None
        sync_id = random.randint(1, 1 << 31)
        sock.sendall(b"\xff" + json.dumps({"execute": "guest-sync-delimited", "arguments": {"id": sync_id}}).encode())
        buffer = b""

        def read_line():
            nonlocal buffer
            while b"\n" not in buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise CallFailed("timeout")
                sock.settimeout(remaining)
                try:
                    data = sock.recv(65536)
                except socket.timeout:
                    raise CallFailed("timeout") from None
                except OSError as error:
                    raise CallFailed(f"read: {error.strerror or error}") from None
                if not data:
                    raise CallFailed("EOF")
                buffer += data
            line, buffer = buffer.split(b"\n", 1)
            return line

        # Everything up to the agent's 0xFF sentinel and our sync id is someone else's output.
        while True:
            line = read_line()
            if b"\xff" in line:
                line = line.rsplit(b"\xff", 1)[1]
            try:
                if json.loads(line).get("return") == sync_id:
                    break
            except (ValueError, AttributeError):
                continue
        request = {"execute": command}
        if arguments is not None:
            request["arguments"] = arguments
        sock.sendall(json.dumps(request).encode())
        while True:
            try:
                reply = json.loads(read_line())
            except ValueError:
                continue
            if "error" in reply:
                raise CallFailed(f"agent error: {reply['error'].get('class')}: {reply['error'].get('desc')}")
            if "return" in reply:
                return reply["return"], time.monotonic() - started
    finally:
        sock.close()


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def run_calls(args):
    interval = args.seconds / args.calls
    started = time.monotonic()
    latencies, failures = [], []
    for index in range(args.calls):
        due = started + index * interval
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        command = READ_ONLY_ROTATION[index % len(READ_ONLY_ROTATION)]
        try:
            _, seconds = one_call(args.socket, command, timeout=args.timeout)
            latencies.append(seconds)
        except CallFailed as error:
            failures.append({"call": index, "command": command, "error": str(error)})
    result = {
        "calls": args.calls,
        "answered": len(latencies),
        "failed": len(failures),
        "failures": failures[:20],
        "elapsed_seconds": round(time.monotonic() - started, 3),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50) * 1000, 3) if latencies else None,
            "p99": round(percentile(latencies, 0.99) * 1000, 3) if latencies else None,
            "max": round(max(latencies) * 1000, 3) if latencies else None,
        },
    }
    print(json.dumps(result))
    return 0 if not failures else 1


def run_one(args):
    arguments = json.loads(args.arguments) if args.arguments else None
    try:
        reply, seconds = one_call(args.socket, args.command, arguments, timeout=args.timeout)
    except CallFailed as error:
        print(json.dumps({"command": args.command, "error": str(error)}))
        return 1
    print(json.dumps({"command": args.command, "return": reply, "ms": round(seconds * 1000, 3)}))
    return 0


def run_backup(args):
    """What vzdump does around a snapshot: freeze, hold, thaw, each its own session."""
    steps = {}
    try:
        count, seconds = one_call(args.socket, "guest-fsfreeze-freeze", timeout=args.timeout)
        steps["freeze"] = {"ok": True, "return": count, "ms": round(seconds * 1000, 3)}
    except CallFailed as error:
        steps["freeze"] = {"ok": False, "error": str(error)}
    time.sleep(args.frozen_seconds)
    try:
        count, seconds = one_call(args.socket, "guest-fsfreeze-thaw", timeout=args.timeout)
        steps["thaw"] = {"ok": True, "return": count, "ms": round(seconds * 1000, 3)}
    except CallFailed as error:
        steps["thaw"] = {"ok": False, "error": str(error)}
    try:
        status, _ = one_call(args.socket, "guest-fsfreeze-status", timeout=args.timeout)
        steps["status_after"] = status
    except CallFailed as error:
        steps["status_after"] = f"unknown: {error}"
    print(json.dumps(steps))
    return 0 if steps["freeze"]["ok"] and steps["thaw"]["ok"] and steps["status_after"] == "thawed" else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    calls = sub.add_parser("calls")
    calls.add_argument("socket")
    calls.add_argument("--calls", type=int, default=100)
    calls.add_argument("--seconds", type=float, default=20.0)
    calls.add_argument("--timeout", type=float, default=3.0)
    one = sub.add_parser("call")
    one.add_argument("socket")
    one.add_argument("command")
    one.add_argument("--arguments")
    one.add_argument("--timeout", type=float, default=3.0)
    backup = sub.add_parser("backup")
    backup.add_argument("socket")
    backup.add_argument("--frozen-seconds", type=float, default=6.0)
    backup.add_argument("--timeout", type=float, default=3.0)
    args = parser.parse_args()
    return {"calls": run_calls, "call": run_one, "backup": run_backup}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
