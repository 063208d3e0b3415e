#!/usr/bin/env python3
"""A stand-in for qga_exporter's HTTP interface, to test the dashboard/rule checks without it.

It serves what the real exporter will (docs/METRICS.md names, Prometheus text format 0.0.4):
  /metrics                         every guest, each series with `guest` and a static label
  /probe?target=GUEST&module=node  one guest under node_exporter names, no `guest` label
  /probe?target=GUEST&module=qga   one guest under qga_ names, no `guest` label
  /sd                              Prometheus HTTP service discovery JSON
Counters grow with wall-clock time so rates are non-zero. Nothing here talks to an agent; the
real exporter replaces this when it exists (same interface, so the checks do not change).
Guests alternate between two kinds, so the dashboards see a mixed fleet: even-numbered ones
(web1) run an older agent on virtio disks (no load average, no NVMe SMART data); odd-numbered
ones (db1) run qemu-ga 10.0 with guest-get-load and two NVMe disks, one of them worn past 80%.

Usage: standin_exporter.py [--listen 127.0.0.1:0] [--hypervisor NAME] [--guests a,b]
                           [--down-guests c]
Prints "listening on http://HOST:PORT" once ready.
"""
import argparse
import json
import math
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
START = time.time()
GIB = 1024 ** 3
COLLECTORS = ["agent", "cpustats", "diskstats", "filesystem", "fsfreeze", "hostname", "netdev",
              "osinfo", "routes", "time", "timezone", "users", "vcpus"]


class Family:
    def __init__(self, name, kind, help_text):
        self.name, self.kind, self.help, self.samples = name, kind, help_text, []

    def add(self, value, **labels):
        self.samples.append((labels, value))
        return self


def escape(value):
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def merge(per_guest):
    """Joins each guest's families into one family per name (a family is never split)."""
    merged = {}
    for guest, fams in per_guest:
        for fam in fams:
            target = merged.setdefault(fam.name, Family(fam.name, fam.kind, fam.help))
            target.samples += [({"guest": guest, "env": "test", **labels}, value)
                               for labels, value in fam.samples]
    return list(merged.values())


def render(families):
    lines = []
    for fam in families:
        if not fam.samples:
            continue
        lines.append(f"# HELP {fam.name} {fam.help}")
        lines.append(f"# TYPE {fam.name} {fam.kind}")
        for labels, value in fam.samples:
            body = ",".join(f'{k}="{escape(v)}"' for k, v in labels.items())
            lines.append(f"{fam.name}{{{body}}} {value!r}" if body else f"{fam.name} {value!r}")
    return "\n".join(lines) + "\n"


def guest_families(guest, index, up):
    """One guest's qga_ families; `index` varies the numbers between guests."""
    now = time.time()
    t = now - START
    fams = []

    def fam(name, kind, help_text):
        f = Family(name, kind, help_text)
        fams.append(f)
        return f

    fam("qga_up", "gauge", "1 if the last poll reached the agent.").add(1 if up else 0)
    fam("qga_last_poll_timestamp_seconds", "gauge", "Unix time of the last poll.").add(round(now, 3))
    fam("qga_poll_duration_seconds", "gauge", "Wall time of the last poll.").add(0.004)
    success = fam("qga_scrape_collector_success", "gauge", "1 if the collector succeeded.")
    if not up:
        success.add(0, collector="agent")
        return fams
    duration = fam("qga_scrape_collector_duration_seconds", "gauge", "Collector wall time.")
    for c in COLLECTORS:
        success.add(1, collector=c)
        duration.add(0.0003, collector=c)
    modern = index % 2 == 1  # qemu-ga 10.0: guest-get-load, NVMe disks with SMART data
    fam("qga_agent_info", "gauge", "Agent version.").add(1, version="10.0.2" if modern else "8.2.2")
    fam("qga_agent_commands_enabled", "gauge", "Commands enabled.").add(44 if modern else 38)
    disks = ("vda", "nvme0n1", "nvme1n1") if modern else ("vda", "vdb")

    disk_families = {
        "reads_completed_total": 40, "reads_merged_total": 2, "read_bytes_total": 400_000,
        "read_time_seconds_total": 0.02, "writes_completed_total": 25, "writes_merged_total": 5,
        "written_bytes_total": 250_000, "write_time_seconds_total": 0.05,
        "io_time_seconds_total": 0.06, "io_time_weighted_seconds_total": 0.08,
        "discards_completed_total": 1, "discards_merged_total": 0,
        "discarded_sectors_total": 8, "discard_time_seconds_total": 0.001,
        "flush_requests_total": 3, "flush_requests_time_seconds_total": 0.002,
    }
    for suffix, per_second in disk_families.items():
        f = fam(f"qga_disk_{suffix}", "counter", f"Disk {suffix}.")
        for d, device in enumerate(disks):
            f.add(round(1000 * (d + 1) + per_second * (d + 1) * (index + 1) * t, 3), device=device)
    io_now = fam("qga_disk_io_now", "gauge", "I/Os in progress.")
    for device in disks:
        io_now.add(0, device=device)
    disk_info = fam("qga_disk_info", "gauge", "Disk as the guest names it (guest-get-disks).")
    for d, device in enumerate(disks):
        bus = "nvme" if device.startswith("nvme") else "virtio"
        disk_info.add(1, device=device, serial=f"QGA{index:02d}{d:02d}" if bus == "nvme" else "",
                      bus_type=bus)
    disk_info.add(1, device="sr0", serial="QM00003", bus_type="sata")

    if modern:
        # NVMe SMART / health log: nvme0n1 healthy, nvme1n1 worn (85% of its rated life used).
        nvme = [  # device, warning, celsius, spare, threshold, used, media errors, hours, unsafe
            ("nvme0n1", 0, 38, 1.0, 0.1, 0.03, 0, 1_200, 2),
            ("nvme1n1", 0, 41, 0.3, 0.1, 0.85, 3, 31_000, 11),
        ]
        gauges = [("critical_warning", "Critical warning bits."),
                  ("temperature_celsius", "Composite temperature."),
                  ("available_spare_ratio", "Available spare."),
                  ("available_spare_threshold_ratio", "Available spare threshold."),
                  ("percentage_used_ratio", "Share of the rated endurance used.")]
        counters = [("media_errors_total", "Unrecovered data integrity errors."),
                    ("power_on_seconds_total", "Time powered on."),
                    ("unsafe_shutdowns_total", "Unsafe shutdowns.")]
        nvme_fams = ([fam(f"qga_nvme_{n}", "gauge", h) for n, h in gauges]
                     + [fam(f"qga_nvme_{n}", "counter", h) for n, h in counters])
        for device, *values in nvme:
            values[6] = (values[6] + int(t // 3600)) * 3600  # power-on hours tick with the clock, exposed in seconds
            for f, value in zip(nvme_fams, values):
                f.add(value, device=device)

        # guest-get-load: a busy guest, load1 swinging around 3 on its 2 vCPUs.
        fam("qga_load1", "gauge", "1-minute load average.").add(round(3 + math.sin(t / 20), 3))
        fam("qga_load5", "gauge", "5-minute load average.").add(2.5)
        fam("qga_load15", "gauge", "15-minute load average.").add(1.75)

    cpu = fam("qga_cpu_seconds_total", "counter", "Seconds the vCPUs spent in each mode.")
    shares = {"user": 0.20, "nice": 0.0, "system": 0.08, "idle": 0.65, "iowait": 0.03,
              "irq": 0.01, "softirq": 0.02, "steal": 0.01}
    for c in ("0", "1"):
        for mode, share in shares.items():
            cpu.add(round(10_000 + share * t, 3), cpu=c, mode=mode)
    guest_cpu = fam("qga_cpu_guest_seconds_total", "counter", "Seconds spent running guests.")
    for c in ("0", "1"):
        for mode in ("user", "nice"):
            guest_cpu.add(0.0, cpu=c, mode=mode)

    net = {"receive_bytes_total": 12_000, "transmit_bytes_total": 3_000,
           "receive_packets_total": 20, "transmit_packets_total": 9,
           "receive_errs_total": 0.01, "transmit_errs_total": 0.0,
           "receive_drop_total": 0.02, "transmit_drop_total": 0.0}
    for suffix, per_second in net.items():
        f = fam(f"qga_network_{suffix}", "counter", f"Network {suffix}.")
        f.add(round(per_second * (index + 1) * t, 3), device="eth0")
        f.add(round(per_second * 0.1 * t, 3), device="lo")
    fam("qga_network_info", "gauge", "Interface hardware address.").add(
        1, device="eth0", address=f"52:54:00:00:00:{index:02x}")
    fam("qga_network_address_info", "gauge", "Interface IP address.").add(
        1, device="eth0", address=f"192.0.2.{10 + index}", prefix="24", family="ipv4")
    fam("qga_route_info", "gauge", "Default route.").add(
        1, destination="0.0.0.0/0", gateway="192.0.2.1", device="eth0").add(
        1, destination="::/0", gateway="fe80::1", device="eth0")
    fam("qga_routes", "gauge", "Routes in the guest's table.").add(5)

    srv = "/dev/nvme0n1" if modern else "/dev/vdb"
    filesystems = [  # device, mountpoint, fstype, size, used
        ("/dev/vda1", "/", "ext4", 20 * GIB, 9 * GIB + int(t * 1000 * (index + 1))),
        ("/dev/vda15", "/boot/efi", "vfat", GIB // 8, GIB // 64),
        (srv, "/srv", "xfs", 100 * GIB, 96 * GIB),
        ("/dev/sr0", "/media/cdrom", "iso9660", GIB // 2, GIB // 2),
    ]
    size = fam("qga_filesystem_size_bytes", "gauge", "Filesystem size.")
    avail = fam("qga_filesystem_avail_bytes", "gauge", "Space available to unprivileged users.")
    used = fam("qga_filesystem_used_bytes", "gauge", "Used space.")
    for device, mountpoint, fstype, total, used_bytes in filesystems:
        labels = dict(device=device, mountpoint=mountpoint, fstype=fstype)
        size.add(total, **labels)
        avail.add(total - used_bytes, **labels)
        used.add(used_bytes, **labels)
    backing = fam("qga_filesystem_disk_info", "gauge", "The disk behind a filesystem.")
    for device, mountpoint, *_ in filesystems:
        disk = device.removeprefix("/dev/")
        backing.add(1, mountpoint=mountpoint, device=device,
                    disk=disk if disk.startswith(("nvme", "sr")) else disk.rstrip("0123456789"))

    fam("qga_users", "gauge", "Logged-in users.").add(1)
    fam("qga_user_login_time_seconds", "gauge", "Login time.").add(
        round(START - 3600, 3), user="alice", domain="")
    fam("qga_os_info", "gauge", "Operating system.").add(
        1, id="debian", name="Debian GNU/Linux", pretty_name="Debian GNU/Linux 12 (bookworm)",
        version="12 (bookworm)", version_id="12", variant="", variant_id="",
        kernel_release="6.1.0-18-amd64", kernel_version="#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1",
        machine="x86_64")
    fam("qga_hostname_info", "gauge", "Guest host name.").add(1, hostname=f"{guest}.example")
    fam("qga_time_zone_offset_seconds", "gauge", "Time zone offset.").add(0, time_zone="UTC")
    fam("qga_time_seconds", "gauge", "Guest clock.").add(round(now + 0.002, 3))
    fam("qga_clock_offset_seconds", "gauge", "Guest minus host clock.").add(0.002 * (index + 1))
    fam("qga_vcpus", "gauge", "vCPUs known.").add(2)
    fam("qga_vcpus_online", "gauge", "vCPUs online.").add(2)
    freeze = fam("qga_fsfreeze_status", "gauge", "Filesystem freeze state.")
    freeze.add(1, qga_fsfreeze_status="thawed")
    freeze.add(0, qga_fsfreeze_status="frozen")
    return fams


def exporter_families(guests, down):
    fams = [
        Family("qga_exporter_build_info", "gauge", "Build information.").add(
            1, version="0.0.0-standin", revision="standin", branch="", builddate="",
            swiftversion=""),
        Family("qga_exporter_guests", "gauge", "Guests known.").add(len(guests)),
        Family("qga_exporter_guests_up", "gauge", "Guests up.").add(
            len([g for g in guests if g not in down])),
    ]
    polls = Family("qga_exporter_polls_total", "counter", "Guest polls by result.")
    polls.add(round(len(guests) * (time.time() - START), 1), result="success")
    polls.add(0, result="failure")
    return fams + [polls]


NODE_RENAMES = ("qga_filesystem_size_bytes", "qga_filesystem_avail_bytes",
                "qga_filesystem_free_bytes", "qga_cpu_seconds_total", "qga_cpu_guest_seconds_total",
                "qga_network_info", "qga_time_zone_offset_seconds")
NODE_PREFIXES = ("qga_disk_", "qga_network_receive_", "qga_network_transmit_")
# Under a renamed prefix but left out: node_exporter's node_disk_info has other labels.
NODE_SKIP = ("qga_disk_info",)
READ_ONLY_FSTYPES = {"iso9660", "udf", "cdfs", "squashfs", "erofs"}


def node_families(guest_fams, guest):
    """One guest under node_exporter's names, as the exporter's module=node serves it."""
    out = []
    by_name = {f.name: f for f in guest_fams}
    for fam in guest_fams:
        if fam.name in NODE_SKIP:
            continue
        if fam.name in NODE_RENAMES or fam.name.startswith(NODE_PREFIXES):
            renamed = Family("node_" + fam.name[4:], fam.kind, fam.help)
            renamed.samples = list(fam.samples)
            out.append(renamed)
    if "qga_filesystem_size_bytes" in by_name:
        readonly = Family("node_filesystem_readonly", "gauge", "Read-only media, by fstype.")
        for labels, _ in by_name["qga_filesystem_size_bytes"].samples:
            readonly.add(1 if labels["fstype"].lower() in READ_ONLY_FSTYPES else 0, **labels)
        out.append(readonly)
    if "qga_os_info" in by_name:
        (os_labels, _), = by_name["qga_os_info"].samples
        (host_labels, _), = by_name["qga_hostname_info"].samples
        out.append(Family("node_uname_info", "gauge", "uname(2) of the guest.").add(
            1, sysname="Linux", release=os_labels["kernel_release"],
            version=os_labels["kernel_version"], machine=os_labels["machine"],
            nodename=host_labels["hostname"], domainname="(none)"))
        out.append(Family("node_os_info", "gauge", "os-release of the guest.").add(
            1, **{k: os_labels[k] for k in ("id", "name", "pretty_name", "version", "version_id")}))
    return out


class Handler(BaseHTTPRequestHandler):
    server_version = "qga-standin/0"

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        cfg = self.server.cfg
        if url.path == "/metrics":
            fams = merge((g, guest_families(g, i, g not in cfg.down))
                         for i, g in enumerate(cfg.guests))
            fams += exporter_families(cfg.guests, cfg.down)
            return self.reply(200, render(fams), CONTENT_TYPE)
        if url.path == "/probe":
            target = query.get("target", [""])[0]
            module = query.get("module", ["qga"])[0]
            if target not in cfg.guests:
                return self.reply(404, f"unknown target {target!r}\n", "text/plain")
            fams = guest_families(target, cfg.guests.index(target), target not in cfg.down)
            if module == "node":
                fams = node_families(fams, target)
            elif module != "qga":
                return self.reply(400, f"unknown module {module!r}\n", "text/plain")
            return self.reply(200, render(fams), CONTENT_TYPE)
        if url.path == "/sd":
            groups = [{"targets": [g], "labels": {"__meta_qga_guest": g,
                                                  "__meta_qga_hypervisor": cfg.hypervisor,
                                                  "__meta_qga_label_env": "test"}}
                      for g in cfg.guests]
            return self.reply(200, json.dumps(groups), "application/json")
        return self.reply(404, "not found\n", "text/plain")

    def reply(self, status, body, content_type):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:0")
    parser.add_argument("--hypervisor", default="standin")
    parser.add_argument("--guests", default="web1,db1")
    parser.add_argument("--down-guests", default="")
    args = parser.parse_args()
    host, _, port = args.listen.rpartition(":")
    server = ThreadingHTTPServer((host, int(port)), Handler)
    server.daemon_threads = True
    down = [g for g in args.down_guests.split(",") if g]
    server.cfg = argparse.Namespace(hypervisor=args.hypervisor,
                                    guests=[g for g in args.guests.split(",") if g] + down,
                                    down=down)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"listening on http://{host}:{server.server_address[1]}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
