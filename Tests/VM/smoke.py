"""Smoke test of the qga test VM: boots it, talks to its qemu-ga, kills the agent and watches it
come back, powers the guest off through the agent, boots the same disk again with qga_delay.
Prints timings; exits non-zero on any failure. Run through Tests/VM/smoke, which builds first."""

import argparse
import os
import shutil
import subprocess
import sys
import time

from qga import Agent, AgentClosed, AgentError, AgentTimeout

HERE = os.path.dirname(os.path.abspath(__file__))
BOOT_BUDGET = 180.0  # seconds from QEMU start to the agent's first answer, generous for TCG


class Smoke:
    def __init__(self, vm_dir):
        self.dir = vm_dir
        self.socket = os.path.join(vm_dir, "qga.sock")
        self.pidfile = os.path.join(vm_dir, "qemu.pid")
        self.console = os.path.join(vm_dir, "console.log")
        self.passed = 0
        self.failed = 0
        self.timings = []

    def check(self, name, ok, detail=""):
        print(f"  {'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        return ok

    def timing(self, name, seconds):
        self.timings.append((name, seconds))
        print(f"  time {name}: {seconds:.3f} s", flush=True)

    def script(self, name, *args):
        subprocess.run([os.path.join(HERE, name), *args], check=True)

    def boot(self, append=""):
        """Starts the VM; returns (Agent, seconds to the first answer)."""
        started = time.monotonic()
        self.script("run-vm", "--dir", self.dir, "--append", append)
        self.check("socket exists when run-vm returns", os.path.exists(self.socket))
        agent = Agent(self.socket)
        agent.sync(BOOT_BUDGET)
        return agent, time.monotonic() - started

    def timed_call(self, agent, command, arguments=None):
        started = time.monotonic()
        result = agent.call(command, arguments)
        self.timing(command, time.monotonic() - started)
        return result

    def console_text(self):
        with open(self.console, errors="replace") as f:
            return f.read()

    def qemu_running(self, pid):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                return b"qemu-system" in f.read()
        except FileNotFoundError:
            return False

    # --- the checks ------------------------------------------------------------------

    def first_boot(self):
        print("first boot", flush=True)
        agent, seconds = self.boot()
        self.timing("boot to first agent answer", seconds)
        self.timed_call(agent, "guest-ping")

        info = agent.call("guest-info")
        enabled = {c["name"] for c in info["supported_commands"] if c["enabled"]}
        self.check("agent allows guest-exec and guest-shutdown",
                   {"guest-exec", "guest-shutdown"} <= enabled, f"qemu-ga {info['version']}")

        osinfo = agent.call("guest-get-osinfo")
        self.check("guest-get-osinfo names the test VM", osinfo.get("id") == "qga-test-vm",
                   f"{osinfo.get('pretty-name')}, kernel {osinfo.get('kernel-release')}")
        hostname = agent.call("guest-get-host-name").get("host-name")
        self.check("guest-get-host-name", hostname == "qga-test-vm", repr(hostname))

        filesystems = self.timed_call(agent, "guest-get-fsinfo")
        data = [f for f in filesystems if f["mountpoint"] == "/data"]
        self.check("guest-get-fsinfo shows /data (ext4)", len(data) == 1 and data[0]["type"] == "ext4",
                   ", ".join(f"{f['name']} on {f['mountpoint']} ({f['type']})" for f in filesystems))

        disks = {d["name"] for d in self.timed_call(agent, "guest-get-diskstats")}
        self.check("guest-get-diskstats shows the virtio disk", "vda" in disks, ", ".join(sorted(disks)))

        interfaces = self.timed_call(agent, "guest-network-get-interfaces")
        eth0 = [i for i in interfaces if i["name"] == "eth0"]
        addresses = [a["ip-address"] for i in eth0 for a in i.get("ip-addresses", [])]
        self.check("guest-network-get-interfaces shows eth0 with 10.0.2.15",
                   "10.0.2.15" in addresses, ", ".join(addresses))

        cpus = {c["cpu"] for c in self.timed_call(agent, "guest-get-cpustats")}
        self.check("guest-get-cpustats reports 2 CPUs", len(cpus) == 2, f"cpus {sorted(cpus)}")

        code, out, _ = agent.run("/bin/cat", ["/data/boot-count"])
        self.check("first boot of a fresh disk", code == 0 and out.strip() == "1", f"boot-count {out.strip()!r}")

        self.agent_restart(agent)
        self.power_off(agent)

    def agent_restart(self, agent):
        code, out, _ = agent.run("/bin/cat", ["/run/qemu-ga.pid"])
        old_pid = out.strip()
        if not self.check("agent pidfile readable", code == 0 and old_pid.isdigit(), f"pid {old_pid!r}"):
            return
        # The delay lets the agent answer guest-exec before it is killed.
        agent.call("guest-exec", {"path": "/bin/sh", "arg": ["-c", f"sleep 1; kill -KILL {old_pid}"]})
        killed_at = time.monotonic()
        new_pid = old_pid
        while new_pid == old_pid and time.monotonic() - killed_at < 60:
            try:
                # While no agent runs, the sync waits silently and is answered by the next agent.
                agent.sync(60)
                code, out, _ = agent.run("/bin/cat", ["/run/qemu-ga.pid"], timeout=2)
                new_pid = out.strip() if code == 0 else old_pid
            except AgentTimeout:
                pass  # the dying agent took the request with it; sync again
            if new_pid == old_pid:
                time.sleep(0.2)
        self.check("agent killed via guest-exec comes back with a new pid", new_pid != old_pid,
                   f"pid {old_pid} -> {new_pid}")
        self.timing("kill (after the 1 s sleep) to the restarted agent's answer",
                    time.monotonic() - killed_at - 1.0)
        self.check("init logged the agent's exit and restart", "exited with status 137; restarting in 2 s" in self.console_text())

    def power_off(self, agent):
        with open(self.pidfile) as f:
            qemu_pid = f.read().strip()
        agent.send("guest-shutdown")  # answers nothing on success
        sent_at = time.monotonic()
        self.check("guest-shutdown: the socket reaches EOF", agent.wait_eof(60))
        self.timing("guest-shutdown to EOF", time.monotonic() - sent_at)
        agent.close()
        while os.path.exists(self.socket) and time.monotonic() - sent_at < 30:
            time.sleep(0.05)
        self.check("guest-shutdown: QEMU removed the socket", not os.path.exists(self.socket))
        self.timing("guest-shutdown to socket gone", time.monotonic() - sent_at)
        while self.qemu_running(qemu_pid) and time.monotonic() - sent_at < 30:
            time.sleep(0.05)
        self.check("guest-shutdown: QEMU exited (-no-reboot)", not self.qemu_running(qemu_pid))
        self.timing("guest-shutdown to QEMU exit", time.monotonic() - sent_at)

    def second_boot(self, delay):
        print(f"second boot of the same disk, qga_delay={delay}", flush=True)
        agent, seconds = self.boot(f"qga_delay={delay}")
        self.timing(f"boot to first agent answer (qga_delay={delay})", seconds)
        self.check("qga_delay held the agent back", seconds >= delay, f"{seconds:.1f} s")
        self.check("init logged the delay", f"waiting {delay} s before starting qemu-ga" in self.console_text())
        code, out, _ = agent.run("/bin/cat", ["/data/boot-count"])
        self.check("the same disk boots again", code == 0 and out.strip() == "2", f"boot-count {out.strip()!r}")
        filesystems = agent.call("guest-get-fsinfo")
        self.check("/data mounted on the second boot", any(f["mountpoint"] == "/data" for f in filesystems))
        agent.close()
        started = time.monotonic()
        self.script("stop-vm", "--dir", self.dir)
        self.timing("stop-vm (SIGTERM)", time.monotonic() - started)
        self.check("stop-vm: QEMU removed the socket", not os.path.exists(self.socket))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", required=True, help="a scratch directory for this VM (emptied first)")
    parser.add_argument("--delay", type=int, default=3, help="qga_delay for the second boot")
    options = parser.parse_args()

    shutil.rmtree(options.dir, ignore_errors=True)
    smoke = Smoke(options.dir)
    try:
        smoke.first_boot()
        smoke.second_boot(options.delay)
    except (AgentTimeout, AgentClosed, AgentError, OSError, subprocess.CalledProcessError,
            KeyError, TypeError, ValueError) as error:
        smoke.check("no unexpected error", False, f"{type(error).__name__}: {error}")
        print(f"--- console ({smoke.console}) ---\n{smoke.console_text() if os.path.exists(smoke.console) else ''}")
    finally:
        subprocess.run([os.path.join(HERE, "stop-vm"), "--dir", options.dir], check=False)

    print(f"smoke: {smoke.passed} passed, {smoke.failed} failed")
    return 1 if smoke.failed else 0


if __name__ == "__main__":
    sys.exit(main())
