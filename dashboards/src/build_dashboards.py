#!/usr/bin/env python3
"""Generates dashboards/qga-fleet.json and dashboards/qga-guest.json.

Usage: build_dashboards.py [--check]
  --check  write nothing; exit 1 if a committed dashboard differs from what this script makes.

The fleet view reads the recording rules of dashboards/rules (cheap for many guests); the guest
view queries raw series with $__rate_interval, so it works without the rules.
"""
import argparse
import json
import pathlib
import sys

from grafana import (bargauge, dashboard, datasource_variable, guest_link, piechart,
                     query_variable, regex_override, row, stat, state_timeline, table, targets,
                     thresholds, timeseries, unit_override, value_mappings)

OUT = pathlib.Path(__file__).resolve().parent.parent

FLEET = 'job=~"$job",hypervisor=~"$hypervisor",guest=~"$guest"'
GUEST = 'job=~"$job",hypervisor=~"$hypervisor",guest="$guest"'
RI = "$__rate_interval"

UP_MAPPINGS = value_mappings({"0": ("down", "red"), "1": ("up", "green")})
UP_STEPS = thresholds((None, "red"), (1, "green"))
PERCENT_STEPS = thresholds((None, "green"), (0.8, "orange"), (0.9, "red"))
HIDDEN_LABELS = ("job", "instance", "hypervisor")
GUEST_LINK = [guest_link("&var-hypervisor=${__field.labels.hypervisor}")]
LINKS = [{"type": "dashboards", "tags": ["qga"], "asDropdown": False, "includeVars": False,
          "keepTime": True, "title": "qga dashboards", "icon": "external link",
          "targetBlank": False, "tooltip": "", "url": ""}]


def variables(multi_guest):
    return [
        datasource_variable(),
        query_variable("job", "Job", "label_values(qga_up, job)",
                       multi=multi_guest, include_all=multi_guest, all_value=".+"),
        query_variable("hypervisor", "Hypervisor", 'label_values(qga_up{job=~"$job"}, hypervisor)',
                       multi=True, include_all=True, all_value=".*"),
        query_variable("guest", "Guest",
                       'label_values(qga_up{job=~"$job",hypervisor=~"$hypervisor"}, guest)',
                       multi=multi_guest, include_all=multi_guest,
                       all_value=".+" if multi_guest else None),
    ]


def fleet():
    s = FLEET
    panels = [
        row("Overview"),
        stat("Guests", "Guests the exporters know (configured and discovered).",
             targets((f"count(qga_up{{{s}}})", "")), w=4),
        stat("Agents up", "Guests whose agent answered the last poll.",
             targets((f"sum(qga_up{{{s}}})", "")), w=4),
        stat("Agents down", "Guests whose agent did not answer the last poll.",
             targets((f"count(qga_up{{{s}}} == 0) or vector(0)", "")), w=4,
             steps=thresholds((None, "green"), (1, "red"))),
        stat("Frozen guests", "Guests whose filesystems qemu-ga reports frozen.",
             targets((f'sum(qga_fsfreeze_status{{{s},qga_fsfreeze_status="frozen"}})', "")),
             w=4, steps=thresholds((None, "green"), (1, "red"))),
        stat("Logged-in users", "Users logged in, summed over the guests.",
             targets((f"sum(qga_users{{{s}}})", "")), w=4, color_mode="none"),
        stat("Exporters up", "qga_exporter targets Prometheus scrapes successfully.",
             targets(('sum(up{job=~"$job"})', "")), w=4, steps=thresholds((None, "green"))),

        row("Guests"),
        state_timeline("Agent status", "qga_up per guest: did the agent answer the poll?",
                       targets((f"qga_up{{{s}}}", "{{guest}} {{hypervisor}}")),
                       mappings=UP_MAPPINGS, steps=UP_STEPS, w=12, h=9, links=GUEST_LINK),
        piechart("Agent versions", "Guests per qemu-ga version (guest-info).",
                 targets((f"count by (version) (qga_agent_info{{{s}}})", "{{version}}"),
                         instant=True), w=6, h=9),
        bargauge("Logged-in users", "Users logged in per guest (guest-get-users).",
                 targets((f"topk(15, qga_users{{{s}}})", "{{guest}} {{hypervisor}}"),
                         instant=True), "short", w=6, h=9, min_=0, links=GUEST_LINK,
                 steps=thresholds((None, "blue"))),
        bargauge("Largest clock offsets",
                 "Absolute difference between guest and hypervisor clocks; QGAGuestClockDrift "
                 "fires above 1 s.",
                 targets((f"topk(10, abs(qga_clock_offset_seconds{{{s}}}))",
                          "{{guest}} {{hypervisor}}"), instant=True),
                 "s", w=12, h=8, min_=0, links=GUEST_LINK,
                 steps=thresholds((None, "green"), (0.5, "orange"), (1, "red"))),
        timeseries("Clock offset", "Guest clock minus hypervisor clock (negative: behind).",
                   targets((f"qga_clock_offset_seconds{{{s}}}", "{{guest}} {{hypervisor}}")),
                   "s", w=12, h=8, min_=-1, links=GUEST_LINK),

        row("Filesystems"),
        bargauge("Fullest filesystems",
                 "Used share of each guest filesystem, fullest first (read-only media such as "
                 "iso9660/CDFS/UDF and System Reserved left out). Recording rule "
                 "guest_mountpoint:qga_filesystem_used:ratio.",
                 targets((f"topk(15, guest_mountpoint:qga_filesystem_used:ratio{{{s}}})",
                          "{{guest}} {{mountpoint}}"), instant=True),
                 "percentunit", w=24, h=10, min_=0, max_=1, steps=PERCENT_STEPS,
                 links=GUEST_LINK),

        row("Disks"),
        bargauge("Busiest disks",
                 "Share of time each guest disk was busy with I/O (5m rate of io_time).",
                 targets((f"topk(10, guest_device:qga_disk_io_time_seconds:rate5m{{{s}}})",
                          "{{guest}} {{device}}"), instant=True),
                 "percentunit", w=12, h=8, min_=0, max_=1, steps=PERCENT_STEPS, links=GUEST_LINK),
        timeseries("Top disk throughput", "Read plus written bytes per second, top 10 guests.",
                   targets((f"topk(10, guest:qga_disk_read_bytes:rate5m{{{s}}} "
                            f"+ guest:qga_disk_written_bytes:rate5m{{{s}}})",
                            "{{guest}} {{hypervisor}}")),
                   "Bps", w=12, h=8, links=GUEST_LINK),

        row("CPU and network"),
        timeseries("Top CPU utilisation", "Share of vCPU time not idle, iowait or steal; top 10.",
                   targets((f"topk(10, guest:qga_cpu_utilisation:rate5m{{{s}}})",
                            "{{guest}} {{hypervisor}}")),
                   "percentunit", w=8, h=8, max_=1, links=GUEST_LINK),
        timeseries("Top network receive", "Received bytes per second (loopback excluded); top 10.",
                   targets((f"topk(10, guest:qga_network_receive_bytes_excluding_lo:rate5m{{{s}}})",
                            "{{guest}} {{hypervisor}}")),
                   "Bps", w=8, h=8, links=GUEST_LINK),
        timeseries("Top network transmit",
                   "Transmitted bytes per second (loopback excluded); top 10.",
                   targets((f"topk(10, guest:qga_network_transmit_bytes_excluding_lo:rate5m{{{s}}})",
                            "{{guest}} {{hypervisor}}")),
                   "Bps", w=8, h=8, links=GUEST_LINK),

        row("Exporters"),
        timeseries("Guests per exporter", "Guests known and guests up, per exporter.",
                   targets(('qga_exporter_guests{job=~"$job"}', "known {{instance}}"),
                           ('qga_exporter_guests_up{job=~"$job"}', "up {{instance}}")),
                   "short", w=12, h=7),
        timeseries("Poll results", "Guest polls per second by result, per exporter.",
                   targets((f'sum by (instance, result) (rate(qga_exporter_polls_total{{job=~"$job"}}[{RI}]))',
                            "{{result}} {{instance}}")),
                   "reqps", w=12, h=7),
    ]
    return dashboard(
        "qga-fleet", "QEMU guests / Fleet",
        "Every guest seen by qga_exporter: agents up, fullest filesystems, busiest disks, CPU "
        "and network top-N, agent versions, users and clock offsets.",
        ["qga", "qemu", "kvm"], variables(multi_guest=True), panels, links=LINKS)


def guest():
    s = GUEST
    info = dict(w=4, h=3, text_mode="name", color_mode="none")
    panels = [
        row("Guest"),
        stat("Agent", "Did qemu-ga answer the last poll?", targets((f"qga_up{{{s}}}", "")),
             w=3, h=3, mappings=UP_MAPPINGS, steps=UP_STEPS, color_mode="background"),
        stat("Agent version", "qemu-ga version (guest-info).",
             targets((f"qga_agent_info{{{s}}}", "{{version}}")), **info),
        stat("Operating system", "guest-get-osinfo pretty name.",
             targets((f"qga_os_info{{{s}}}", "{{pretty_name}}")), **info),
        stat("Kernel", "Kernel release and machine (guest-get-osinfo).",
             targets((f"qga_os_info{{{s}}}", "{{kernel_release}} {{machine}}")), **info),
        stat("Hostname", "Host name inside the guest (guest-get-host-name).",
             targets((f"qga_hostname_info{{{s}}}", "{{hostname}}")), **info),
        stat("Time zone", "Guest time zone and its offset from UTC.",
             targets((f"qga_time_zone_offset_seconds{{{s}}}", "{{time_zone}}")),
             "s", w=5, h=3, text_mode="value_and_name", color_mode="none"),
        stat("vCPUs online", "vCPUs online in the guest (guest-get-vcpus).",
             targets((f"qga_vcpus_online{{{s}}}", "")), w=3, h=3, color_mode="none"),
        stat("Clock offset", "Guest clock minus hypervisor clock.",
             targets((f"qga_clock_offset_seconds{{{s}}}", "")), "s", w=4, h=3,
             steps=thresholds((None, "green"), (1, "red")), decimals=3),
        stat("Filesystems", "Freeze state reported by guest-fsfreeze-status.",
             targets((f'qga_fsfreeze_status{{{s},qga_fsfreeze_status="frozen"}}', "")),
             w=4, h=3, mappings=value_mappings({"0": ("thawed", "green"), "1": ("FROZEN", "red")}),
             steps=thresholds((None, "green"), (1, "red")), color_mode="background"),
        stat("Logged-in users", "Users logged in (guest-get-users).",
             targets((f"qga_users{{{s}}}", "")), w=4, h=3, color_mode="none"),
        stat("Agent commands", "Commands the agent reports enabled (guest-info).",
             targets((f"qga_agent_commands_enabled{{{s}}}", "")), w=4, h=3, color_mode="none"),
        stat("Last poll", "Seconds since the exporter last finished polling this guest.",
             targets((f"time() - qga_last_poll_timestamp_seconds{{{s}}}", "")), "s", w=5, h=3,
             steps=thresholds((None, "green"), (300, "red"))),

        row("CPU"),
        timeseries("CPU by mode", "Share of vCPU time per mode, averaged over the vCPUs.",
                   targets((f"avg without (cpu) (rate(qga_cpu_seconds_total{{{s}}}[{RI}]))",
                            "{{mode}}")),
                   "percentunit", w=12, h=8, stack=True, max_=1),
        timeseries("CPU utilisation per vCPU", "Share of time not idle, iowait or steal.",
                   targets((f"1 - sum without (mode) (rate(qga_cpu_seconds_total{{{s},"
                            f'mode=~"idle|iowait|steal"}}[{RI}]))', "cpu {{cpu}}")),
                   "percentunit", w=12, h=8, max_=1),

        row("Disks"),
        timeseries("Disk throughput", "Bytes read (up) and written (down) per second.",
                   targets((f"rate(qga_disk_read_bytes_total{{{s}}}[{RI}])", "{{device}} read"),
                           (f"rate(qga_disk_written_bytes_total{{{s}}}[{RI}])",
                            "{{device}} written")),
                   "Bps", w=12, h=8,
                   overrides=[regex_override(".* written", ("custom.transform", "negative-Y"))]),
        timeseries("Disk IOPS", "Completed reads (up) and writes (down) per second.",
                   targets((f"rate(qga_disk_reads_completed_total{{{s}}}[{RI}])", "{{device}} reads"),
                           (f"rate(qga_disk_writes_completed_total{{{s}}}[{RI}])",
                            "{{device}} writes")),
                   "iops", w=12, h=8,
                   overrides=[regex_override(".* writes", ("custom.transform", "negative-Y"))]),
        timeseries("Disk latency", "Average time per completed read and write.",
                   targets((f"rate(qga_disk_read_time_seconds_total{{{s}}}[{RI}]) / "
                            f"rate(qga_disk_reads_completed_total{{{s}}}[{RI}])", "{{device}} read"),
                           (f"rate(qga_disk_write_time_seconds_total{{{s}}}[{RI}]) / "
                            f"rate(qga_disk_writes_completed_total{{{s}}}[{RI}])",
                            "{{device}} write")),
                   "s", w=8, h=8),
        timeseries("Disk utilisation", "Share of time the disk was busy with I/O.",
                   targets((f"rate(qga_disk_io_time_seconds_total{{{s}}}[{RI}])", "{{device}}")),
                   "percentunit", w=8, h=8, max_=1),
        timeseries("Disk queue", "Average number of I/Os in flight (weighted io_time).",
                   targets((f"rate(qga_disk_io_time_weighted_seconds_total{{{s}}}[{RI}])",
                            "{{device}}")),
                   "short", w=8, h=8),

        row("Network"),
        timeseries("Network throughput", "Bytes received (up) and transmitted (down) per second.",
                   targets((f"rate(qga_network_receive_bytes_total{{{s}}}[{RI}])",
                            "{{device}} receive"),
                           (f"rate(qga_network_transmit_bytes_total{{{s}}}[{RI}])",
                            "{{device}} transmit")),
                   "Bps", w=12, h=8,
                   overrides=[regex_override(".* transmit", ("custom.transform", "negative-Y"))]),
        timeseries("Network packets", "Packets received (up) and transmitted (down) per second.",
                   targets((f"rate(qga_network_receive_packets_total{{{s}}}[{RI}])",
                            "{{device}} receive"),
                           (f"rate(qga_network_transmit_packets_total{{{s}}}[{RI}])",
                            "{{device}} transmit")),
                   "pps", w=12, h=8,
                   overrides=[regex_override(".* transmit", ("custom.transform", "negative-Y"))]),
        timeseries("Network errors", "Receive and transmit errors per second.",
                   targets((f"rate(qga_network_receive_errs_total{{{s}}}[{RI}])",
                            "{{device}} receive"),
                           (f"rate(qga_network_transmit_errs_total{{{s}}}[{RI}])",
                            "{{device}} transmit")),
                   "pps", w=8, h=8),
        timeseries("Network drops", "Dropped received and transmitted packets per second.",
                   targets((f"rate(qga_network_receive_drop_total{{{s}}}[{RI}])",
                            "{{device}} receive"),
                           (f"rate(qga_network_transmit_drop_total{{{s}}}[{RI}])",
                            "{{device}} transmit")),
                   "pps", w=8, h=8),
        table("Addresses", "IP addresses per interface (guest-network-get-interfaces).",
              targets((f"qga_network_address_info{{{s}}}", ""), instant=True, table=True),
              w=8, h=8, hide=(*HIDDEN_LABELS, "guest", "Value")),

        row("Filesystems"),
        table("Filesystems",
              "Size, available space, use and time until full at the trend of the last 6 hours "
              "(infinite: not filling up).",
              targets((f"qga_filesystem_size_bytes{{{s}}}", ""),
                      (f"qga_filesystem_avail_bytes{{{s}}}", ""),
                      (f"1 - qga_filesystem_avail_bytes{{{s}}} / qga_filesystem_size_bytes{{{s}}}", ""),
                      (f"qga_filesystem_avail_bytes{{{s}}} / "
                       f"clamp_min(-deriv(qga_filesystem_avail_bytes{{{s}}}[6h]), 0)", ""),
                      instant=True, table=True),
              w=24, h=8, hide=(*HIDDEN_LABELS, "guest"),
              rename={"Value #A": "Size", "Value #B": "Available", "Value #C": "Used",
                      "Value #D": "Full in"},
              overrides=[unit_override("Size", "bytes"), unit_override("Available", "bytes"),
                         unit_override("Used", "percentunit", min=0, max=1,
                                       thresholds=PERCENT_STEPS,
                                       **{"custom.cellOptions": {"type": "gauge",
                                                                 "mode": "gradient"}}),
                         unit_override("Full in", "s")],
              sort_by=("Used", True)),
        timeseries("Filesystem use", "Used share of each filesystem.",
                   targets((f"1 - qga_filesystem_avail_bytes{{{s}}} / "
                            f"qga_filesystem_size_bytes{{{s}}}", "{{mountpoint}}")),
                   "percentunit", w=12, h=8, max_=1),
        timeseries("Filesystem available", "Space available to unprivileged users.",
                   targets((f"qga_filesystem_avail_bytes{{{s}}}", "{{mountpoint}}")),
                   "bytes", w=12, h=8),

        row("Users"),
        table("Sessions", "Logged-in users and their login time (guest-get-users).",
              targets((f"qga_user_login_time_seconds{{{s}}} * 1000", ""), instant=True,
                      table=True),
              w=12, h=7, hide=(*HIDDEN_LABELS, "guest"), rename={"Value": "Logged in since"},
              overrides=[unit_override("Logged in since", "dateTimeAsIso")]),
        timeseries("Logged-in users", "Number of logged-in users.",
                   targets((f"qga_users{{{s}}}", "users")), "short", w=12, h=7),

        row("Collector health"),
        state_timeline("Collector success", "Did each collector's agent command succeed?",
                       targets((f"qga_scrape_collector_success{{{s}}}", "{{collector}}")),
                       mappings=value_mappings({"0": ("failed", "red"), "1": ("ok", "green")}),
                       steps=UP_STEPS, w=12, h=8),
        timeseries("Collector duration", "Wall time of each collector in the last poll.",
                   targets((f"qga_scrape_collector_duration_seconds{{{s}}}", "{{collector}}"),
                           (f"qga_poll_duration_seconds{{{s}}}", "whole poll")),
                   "s", w=12, h=8),
    ]
    return dashboard(
        "qga-guest", "QEMU guests / Guest",
        "One guest seen through its QEMU guest agent: CPU, disks, network, filesystems, users, "
        "OS and agent info, collector health.",
        ["qga", "qemu", "kvm"], variables(multi_guest=False), panels, links=LINKS)


def render(board):
    return json.dumps(board, indent=2, ensure_ascii=False) + "\n"


def outputs():
    return {OUT / "qga-fleet.json": render(fleet()), OUT / "qga-guest.json": render(guest())}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    stale = []
    for path, text in outputs().items():
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path.name)
        else:
            path.write_text(text)
    if stale:
        print(f"build_dashboards.py: out of date: {', '.join(stale)}; run "
              "dashboards/src/build_dashboards.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
