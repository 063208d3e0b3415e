#!/usr/bin/env python3
"""Generates dashboards/qga-fleet.json and dashboards/qga-guest.json.

Usage: build_dashboards.py [--check]
  --check  write nothing; exit 1 if a committed dashboard differs from what this script makes.

The JSON comes from Grafana's typed builders (grafana-foundation-sdk, pinned below); panels.py
holds the house style the panels share. The fleet view reads the recording rules of
dashboards/rules (cheap for many guests); the guest view queries raw series with
$__rate_interval, so it works without the rules.
"""
import argparse
import importlib.metadata
import json
import pathlib
import sys

from grafana_foundation_sdk.builders import common as options
from grafana_foundation_sdk.builders import dashboard as dash
from grafana_foundation_sdk.builders import stat as stat_panel
from grafana_foundation_sdk.builders import table as table_panel_builder
from grafana_foundation_sdk.cog.builder import Builder
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import common
from grafana_foundation_sdk.models import dashboard as model

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "lib"))
from generated import write_or_check  # noqa: E402
from panels import (DATASOURCE, AnyPanel, bargauge, guest_link, instant, piechart, prop, query,
                    row, stat, state_timeline, table, table_guest_link, table_query, thresholds,
                    timeseries, value_mappings)

# The same pin as scripts/install-test-deps: another SDK version writes other JSON (its
# defaults and schemaVersion), so --check would fail for a reason that is not ours. This is
# the build for Grafana 11.6; an unpinned pip install picks the 10.1 build (highest epoch),
# which lacks options these panels set (stat wideLayout, bar gauge namePlacement, ...).
SDK, SDK_VERSION = "grafana-foundation-sdk", "1769699379!11.6.0"

OUT = pathlib.Path(__file__).resolve().parent.parent

FLEET = 'job=~"$job",hypervisor=~"$hypervisor",guest=~"$guest"'
GUEST = 'job=~"$job",hypervisor=~"$hypervisor",guest="$guest"'
RI = "$__rate_interval"
GUEST_LEGEND = "{{guest}} {{hypervisor}}"

UP_MAPPINGS = value_mappings({"0": ("down", "red"), "1": ("up", "green")})
UP_STEPS = thresholds((None, "red"), (1, "green"))
ALARM_STEPS = thresholds((None, "green"), (1, "red"))
PERCENT_STEPS = thresholds((None, "green"), (0.8, "orange"), (0.9, "red"))
HIDDEN_LABELS = ("job", "instance", "hypervisor")
GUEST_LINK: list[Builder[model.DashboardLink]] = [
    guest_link("&var-hypervisor=${__field.labels.hypervisor}")]
NEGATIVE_Y = [prop("custom.transform", common.GraphTransform.NEGATIVE_Y)]
# Load per vCPU: above 1 more tasks want a vCPU than there are.
LOAD_STEPS = thresholds((None, "green"), (1, "orange"), (2, "red"))
# Shown for an empty panel, and for empty cells and legend values: kept short.
NO_LOAD = "No load average (agent lacks guest-get-load)"
# The fleet's NVMe attention list: any critical warning bit, spare below the drive's own
# threshold, or more than this share of the rated endurance used (QGANvmeWearHigh fires at 0.9).
NVME_WEAR_ATTENTION = 0.8
# NVMe critical warning bits (NVMe base spec, SMART / Health log); combinations show the number.
NVME_WARNING_MAPPINGS = value_mappings({
    "0": ("OK", "green"), "1": ("1: spare below threshold", "red"), "2": ("2: temperature", "red"),
    "4": ("4: reliability degraded", "red"), "8": ("8: read-only", "red"),
    "16": ("16: volatile memory backup failed", "red"), "32": ("32: PMR read-only", "red")})
REFERENCE_LINE = [prop("custom.lineStyle", common.LineStyle(fill="dash", dash=[10, 10])),
                  prop("custom.fillOpacity", 0),
                  prop("color", model.FieldColor(mode=model.FieldColorModeId.FIXED,
                                                 fixed_color="red"))]
TAGS = ["qga", "qemu", "kvm"]


def variables(multi_guest: bool) -> list[Builder[model.VariableModel]]:
    return [
        (dash.DatasourceVariable("datasource").label("Data source").type("prometheus")
         .regex("").hide(model.VariableHide.DONT_HIDE).multi(False).include_all(False)),
        query_variable("job", "Job", "label_values(qga_up, job)",
                       multi=multi_guest, include_all=multi_guest, all_value=".+"),
        query_variable("hypervisor", "Hypervisor", 'label_values(qga_up{job=~"$job"}, hypervisor)',
                       multi=True, include_all=True, all_value=".*"),
        query_variable("guest", "Guest",
                       'label_values(qga_up{job=~"$job",hypervisor=~"$hypervisor"}, guest)',
                       multi=multi_guest, include_all=multi_guest,
                       all_value=".+" if multi_guest else None),
    ]


def query_variable(name: str, label: str, expr: str, *, multi: bool, include_all: bool,
                   all_value: str | None = None) -> dash.QueryVariable:
    variable = (
        dash.QueryVariable(name).label(label).datasource(DATASOURCE)
        # The classic form (no qryType): every Grafana since 7 reads a label_values() string.
        .query({"query": expr, "refId": f"qga-{name}-variable"})
        .refresh(model.VariableRefresh.ON_TIME_RANGE_CHANGED).regex("")
        .sort(model.VariableSort.ALPHABETICAL_ASC).options([])
        .hide(model.VariableHide.DONT_HIDE).include_all(include_all).multi(multi))
    return variable if all_value is None else variable.all_value(all_value)


def nvme_attention(s: str) -> str:
    """NVMe devices that need a look (one series each, whatever its name; filter with `and`)."""
    return (f"(qga_nvme_critical_warning{{{s}}} != 0"
            f" or qga_nvme_available_spare_ratio{{{s}}}"
            f" < qga_nvme_available_spare_threshold_ratio{{{s}}}"
            f" or qga_nvme_percentage_used_ratio{{{s}}} > {NVME_WEAR_ATTENTION})")


def lifetime(counter: str, s: str) -> str:
    """The drive's own lifetime count (a SMART total, shown as is rather than as a rate).

    Its result has no __name__, so in the NVMe tables __name__ is not in every frame and the
    merge transformation joins their rows on the labels alone (as in the Filesystems table)."""
    return f"last_over_time({counter}{{{s}}}[{RI}])"


def used_share_column() -> list:
    """A table column of a share used (0 to 1): a gradient bar, coloured as it fills."""
    return [prop("unit", "percentunit"), prop("min", 0), prop("max", 1),
            prop("thresholds", PERCENT_STEPS.build()),
            prop("custom.cellOptions",
                 common.TableBarGaugeCellOptions(mode=common.BarGaugeDisplayMode.GRADIENT))]


def nvme_columns(table_panel: table_panel_builder.Panel) -> table_panel_builder.Panel:
    """Units and colours of the NVMe table columns (fleet attention list and guest health)."""
    return (table_panel
            .override_by_name("Critical warning", [
                prop("mappings", NVME_WARNING_MAPPINGS),
                prop("thresholds", ALARM_STEPS.build()),
                prop("custom.cellOptions", common.TableColoredBackgroundCellOptions(
                    mode=common.TableCellBackgroundDisplayMode.BASIC))])
            .override_by_name("Spare", [prop("unit", "percentunit")])
            .override_by_name("Spare threshold", [prop("unit", "percentunit")])
            .override_by_name("Life used", used_share_column()))


def fleet() -> dash.Dashboard:
    s = FLEET
    attention = nvme_attention(s)
    panels: list[AnyPanel | dash.Row] = [
        row("Overview"),
        stat("Guests", "Guests the exporters know (configured and discovered).",
             query(f"count(qga_up{{{s}}})")),
        stat("Agents up", "Guests whose agent answered the last poll.",
             query(f"sum(qga_up{{{s}}})")),
        stat("Agents down", "Guests whose agent did not answer the last poll.",
             query(f"count(qga_up{{{s}}} == 0) or vector(0)")).thresholds(ALARM_STEPS),
        stat("Frozen guests", "Guests whose filesystems qemu-ga reports frozen.",
             query(f'sum(qga_fsfreeze_status{{{s},qga_fsfreeze_status="frozen"}})'))
        .thresholds(ALARM_STEPS),
        stat("Logged-in users", "Users logged in, summed over the guests.",
             query(f"sum(qga_users{{{s}}})")).color_mode(common.BigValueColorMode.NONE),
        stat("Exporters up", "qga_exporter targets Prometheus scrapes successfully.",
             query('sum(up{job=~"$job"})')),

        row("Guests"),
        state_timeline("Agent status", "qga_up per guest: did the agent answer the poll?",
                       query(f"qga_up{{{s}}}", GUEST_LEGEND),
                       mappings=UP_MAPPINGS, steps=UP_STEPS).height(9).data_links(GUEST_LINK),
        piechart("Agent versions", "Guests per qemu-ga version (guest-info).",
                 instant(f"count by (version) (qga_agent_info{{{s}}})", "{{version}}"))
        .height(9),
        bargauge("Logged-in users", "Users logged in per guest (guest-get-users).", "short",
                 instant(f"topk(15, qga_users{{{s}}})", GUEST_LEGEND))
        .span(6).height(9).min(0).data_links(GUEST_LINK).thresholds(thresholds((None, "blue"))),
        bargauge("Largest clock offsets",
                 "Absolute difference between guest and hypervisor clocks; QGAGuestClockDrift "
                 "fires above 1 s.", "s",
                 instant(f"topk(10, abs(qga_clock_offset_seconds{{{s}}}))", GUEST_LEGEND))
        .min(0).data_links(GUEST_LINK)
        .thresholds(thresholds((None, "green"), (0.5, "orange"), (1, "red"))),
        timeseries("Clock offset", "Guest clock minus hypervisor clock (negative: behind).", "s",
                   query(f"qga_clock_offset_seconds{{{s}}}", GUEST_LEGEND), min_=-1)
        .data_links(GUEST_LINK),

        row("Filesystems"),
        bargauge("Fullest filesystems",
                 "Used share of each guest filesystem, fullest first (read-only media such as "
                 "iso9660/CDFS/UDF and System Reserved left out). Recording rule "
                 "guest_mountpoint:qga_filesystem_used:ratio.", "percentunit",
                 instant(f"topk(15, guest_mountpoint:qga_filesystem_used:ratio{{{s}}})",
                         "{{guest}} {{mountpoint}}"))
        .span(24).height(10).min(0).max(1).thresholds(PERCENT_STEPS).data_links(GUEST_LINK),

        row("Disks"),
        bargauge("Busiest disks",
                 "Share of time each guest disk was busy with I/O (5m rate of io_time).",
                 "percentunit",
                 instant(f"topk(10, guest_device:qga_disk_io_time_seconds:rate5m{{{s}}})",
                         "{{guest}} {{device}}"))
        .min(0).max(1).thresholds(PERCENT_STEPS).data_links(GUEST_LINK),
        timeseries("Top disk throughput", "Read plus written bytes per second, top 10 guests.",
                   "Bps",
                   query(f"topk(10, guest:qga_disk_read_bytes:rate5m{{{s}}} "
                         f"+ guest:qga_disk_written_bytes:rate5m{{{s}}})", GUEST_LEGEND))
        .data_links(GUEST_LINK),

        row("CPU and network"),
        timeseries("Top CPU utilisation", "Share of vCPU time not idle, iowait or steal; top 10.",
                   "percentunit",
                   query(f"topk(10, guest:qga_cpu_utilisation:rate5m{{{s}}})", GUEST_LEGEND))
        .span(8).max(1).data_links(GUEST_LINK),
        timeseries("Top network receive", "Received bytes per second (loopback excluded); top 10.",
                   "Bps",
                   query(f"topk(10, guest:qga_network_receive_bytes_excluding_lo:rate5m{{{s}}})",
                         GUEST_LEGEND))
        .span(8).data_links(GUEST_LINK),
        timeseries("Top network transmit",
                   "Transmitted bytes per second (loopback excluded); top 10.", "Bps",
                   query(f"topk(10, guest:qga_network_transmit_bytes_excluding_lo:rate5m{{{s}}})",
                         GUEST_LEGEND))
        .span(8).data_links(GUEST_LINK),

        row("Load"),
        timeseries("Top load (1m)",
                   "1-minute load average (guest-get-load: qemu-ga 10.0 and later, Windows agents "
                   "10.1 and later emulate it); top 10. Guests whose agent lacks it are not "
                   "listed.",
                   "short", query(f"topk(10, qga_load1{{{s}}})", GUEST_LEGEND))
        .data_links(GUEST_LINK).no_value(NO_LOAD),
        bargauge("Highest load per vCPU",
                 "1-minute load average divided by the vCPUs online; above 1 more tasks want a "
                 "vCPU than there are (on Linux, tasks waiting for I/O count too). Top 15.",
                 "short",
                 instant(f"topk(15, qga_load1{{{s}}} / qga_vcpus_online{{{s}}})", GUEST_LEGEND))
        .min(0).thresholds(LOAD_STEPS).data_links(GUEST_LINK).no_value(NO_LOAD),

        row("NVMe"),
        stat("NVMe devices",
             "NVMe disks whose agent reports SMART health (guest-get-disks: Linux qemu-ga 7.1 "
             "and later).",
             query(f"count(qga_nvme_critical_warning{{{s}}}) or vector(0)"))
        .height(8).color_mode(common.BigValueColorMode.NONE),
        stat("NVMe needing attention",
             "NVMe disks with a critical warning bit set, available spare below the drive's "
             f"threshold, or more than {NVME_WEAR_ATTENTION:.0%} of the rated endurance used.",
             query(f"count({attention}) or vector(0)"))
        .height(8).thresholds(ALARM_STEPS),
        nvme_columns(
            table("NVMe attention",
                  "NVMe disks with a critical warning bit set (QGANvmeCriticalWarning), available "
                  "spare below the drive's own threshold (QGANvmeSpareBelowThreshold) or more than "
                  f"{NVME_WEAR_ATTENTION:.0%} of the rated endurance used (QGANvmeWearHigh fires "
                  "at 90%). Media errors: the drive's lifetime count. No data: no NVMe disk needs "
                  "attention (or none reports SMART data).",
                  table_query(f"qga_nvme_critical_warning{{{s}}} and {attention}"),
                  table_query(f"qga_nvme_available_spare_ratio{{{s}}} and {attention}"),
                  table_query(f"qga_nvme_available_spare_threshold_ratio{{{s}}} and {attention}"),
                  table_query(f"qga_nvme_percentage_used_ratio{{{s}}} and {attention}"),
                  table_query(f"{lifetime('qga_nvme_media_errors_total', s)} and {attention}"),
                  table_query(f"qga_nvme_temperature_celsius{{{s}}} and {attention}"),
                  hide=("instance",),
                  rename={"Value #A": "Critical warning", "Value #B": "Spare",
                          "Value #C": "Spare threshold", "Value #D": "Life used",
                          "Value #E": "Media errors", "Value #F": "Temperature (°C)"}))
        .span(16).height(8)
        # Hidden, not dropped: the row's link to the guest view needs it.
        .override_by_name("job", [prop("custom.hidden", True)])
        .data_links([table_guest_link()])
        .sort_by([options.TableSortByFieldState().display_name("Life used").desc(True)]),

        row("Exporters"),
        timeseries("Guests per exporter", "Guests known and guests up, per exporter.", "short",
                   query('qga_exporter_guests{job=~"$job"}', "known {{instance}}"),
                   query('qga_exporter_guests_up{job=~"$job"}', "up {{instance}}"))
        .height(7),
        timeseries("Poll results", "Guest polls per second by result, per exporter.", "reqps",
                   query("sum by (instance, result) "
                         f'(rate(qga_exporter_polls_total{{job=~"$job"}}[{RI}]))',
                         "{{result}} {{instance}}"))
        .height(7),
    ]
    return dashboard(
        "qga-fleet", "QEMU guests / Fleet",
        "Every guest seen by qga_exporter: agents up, fullest filesystems, busiest disks, CPU, "
        "load and network top-N, NVMe disks needing attention, agent versions, users and clock "
        "offsets.",
        variables(multi_guest=True), panels)


def info(title: str, description: str, expr: str, legend: str) -> stat_panel.Panel:
    """A guest fact carried in a label, shown as the series name."""
    return (stat(title, description, query(expr, legend)).span(4).height(3)
            .text_mode(common.BigValueTextMode.NAME).color_mode(common.BigValueColorMode.NONE))


def guest() -> dash.Dashboard:
    s = GUEST
    quiet = common.BigValueColorMode.NONE
    background = common.BigValueColorMode.BACKGROUND
    panels: list[AnyPanel | dash.Row] = [
        row("Guest"),
        stat("Agent", "Did qemu-ga answer the last poll?", query(f"qga_up{{{s}}}"))
        .span(3).height(3).mappings(UP_MAPPINGS).thresholds(UP_STEPS).color_mode(background),
        info("Agent version", "qemu-ga version (guest-info).",
             f"qga_agent_info{{{s}}}", "{{version}}"),
        info("Operating system", "guest-get-osinfo pretty name.",
             f"qga_os_info{{{s}}}", "{{pretty_name}}"),
        info("Kernel", "Kernel release and machine (guest-get-osinfo).",
             f"qga_os_info{{{s}}}", "{{kernel_release}} {{machine}}"),
        info("Hostname", "Host name inside the guest (guest-get-host-name).",
             f"qga_hostname_info{{{s}}}", "{{hostname}}"),
        stat("Time zone", "Guest time zone and its offset from UTC.",
             query(f"qga_time_zone_offset_seconds{{{s}}}", "{{time_zone}}"), unit="s")
        .span(5).height(3).text_mode(common.BigValueTextMode.VALUE_AND_NAME).color_mode(quiet),
        stat("vCPUs online", "vCPUs online in the guest (guest-get-vcpus).",
             query(f"qga_vcpus_online{{{s}}}")).span(3).height(3).color_mode(quiet),
        stat("Clock offset", "Guest clock minus hypervisor clock.",
             query(f"qga_clock_offset_seconds{{{s}}}"), unit="s")
        .height(3).thresholds(ALARM_STEPS).decimals(3),
        stat("Filesystems", "Freeze state reported by guest-fsfreeze-status.",
             query(f'qga_fsfreeze_status{{{s},qga_fsfreeze_status="frozen"}}'))
        .height(3).mappings(value_mappings({"0": ("thawed", "green"), "1": ("FROZEN", "red")}))
        .thresholds(ALARM_STEPS).color_mode(background),
        stat("Logged-in users", "Users logged in (guest-get-users).",
             query(f"qga_users{{{s}}}")).height(3).color_mode(quiet),
        stat("Agent commands", "Commands the agent reports enabled (guest-info).",
             query(f"qga_agent_commands_enabled{{{s}}}")).height(3).color_mode(quiet),
        stat("Last poll", "Seconds since the exporter last finished polling this guest.",
             query(f"time() - qga_last_poll_timestamp_seconds{{{s}}}"), unit="s")
        .span(5).height(3).thresholds(thresholds((None, "green"), (300, "red"))),

        row("CPU"),
        timeseries("CPU by mode", "Share of vCPU time per mode, averaged over the vCPUs.",
                   "percentunit",
                   query(f"avg without (cpu) (rate(qga_cpu_seconds_total{{{s}}}[{RI}]))",
                         "{{mode}}"), stack=True)
        .max(1),
        timeseries("CPU utilisation per vCPU", "Share of time not idle, iowait or steal.",
                   "percentunit",
                   query(f"1 - sum without (mode) (rate(qga_cpu_seconds_total{{{s},"
                         f'mode=~"idle|iowait|steal"}}[{RI}]))', "cpu {{cpu}}"))
        .max(1),
        timeseries("Load average",
                   "1, 5 and 15-minute load averages (guest-get-load: qemu-ga 10.0 and later, "
                   "Windows agents 10.1 and later emulate it), with the vCPUs online as a dashed "
                   "reference line. Only the vCPU line: the agent lacks guest-get-load.", "short",
                   query(f"qga_load1{{{s}}}", "1m"), query(f"qga_load5{{{s}}}", "5m"),
                   query(f"qga_load15{{{s}}}", "15m"),
                   query(f"qga_vcpus_online{{{s}}}", "vCPUs online"))
        .override_by_name("vCPUs online", REFERENCE_LINE).no_value(NO_LOAD),
        timeseries("Load per vCPU",
                   "Load averages divided by the vCPUs online; above 1 (dashed) more tasks want a "
                   "vCPU than there are (on Linux, tasks waiting for I/O count too).", "short",
                   query(f"qga_load1{{{s}}} / qga_vcpus_online{{{s}}}", "1m"),
                   query(f"qga_load5{{{s}}} / qga_vcpus_online{{{s}}}", "5m"),
                   query(f"qga_load15{{{s}}} / qga_vcpus_online{{{s}}}", "15m"))
        .thresholds(thresholds((None, "green"), (1, "red")))
        .thresholds_style(options.GraphThresholdsStyleConfig()
                          .mode(common.GraphThresholdsStyleMode.DASHED))
        .no_value(NO_LOAD),

        row("Disks"),
        timeseries("Disk throughput", "Bytes read (up) and written (down) per second.", "Bps",
                   query(f"rate(qga_disk_read_bytes_total{{{s}}}[{RI}])", "{{device}} read"),
                   query(f"rate(qga_disk_written_bytes_total{{{s}}}[{RI}])",
                         "{{device}} written"))
        .override_by_regexp(".* written", NEGATIVE_Y),
        timeseries("Disk IOPS", "Completed reads (up) and writes (down) per second.", "iops",
                   query(f"rate(qga_disk_reads_completed_total{{{s}}}[{RI}])", "{{device}} reads"),
                   query(f"rate(qga_disk_writes_completed_total{{{s}}}[{RI}])",
                         "{{device}} writes"))
        .override_by_regexp(".* writes", NEGATIVE_Y),
        timeseries("Disk latency", "Average time per completed read and write.", "s",
                   query(f"rate(qga_disk_read_time_seconds_total{{{s}}}[{RI}]) / "
                         f"rate(qga_disk_reads_completed_total{{{s}}}[{RI}])", "{{device}} read"),
                   query(f"rate(qga_disk_write_time_seconds_total{{{s}}}[{RI}]) / "
                         f"rate(qga_disk_writes_completed_total{{{s}}}[{RI}])",
                         "{{device}} write"))
        .span(8),
        timeseries("Disk utilisation", "Share of time the disk was busy with I/O.", "percentunit",
                   query(f"rate(qga_disk_io_time_seconds_total{{{s}}}[{RI}])", "{{device}}"))
        .span(8).max(1),
        timeseries("Disk queue", "Average number of I/Os in flight (weighted io_time).", "short",
                   query(f"rate(qga_disk_io_time_weighted_seconds_total{{{s}}}[{RI}])",
                         "{{device}}"))
        .span(8),

        row("NVMe"),
        nvme_columns(
            table("NVMe health",
                  "SMART / health log of each NVMe disk (guest-get-disks: Linux qemu-ga 7.1 and "
                  "later). Critical warning: 0 or the bits set; spare and its threshold as the "
                  "drive reports them (QEMU's emulated NVMe says 0 and 0); life used: share of "
                  "the rated endurance (can pass 100%). Media errors, power-on time and unsafe "
                  "shutdowns are the drive's lifetime counts. No data: no NVMe disk, or an agent "
                  "that does not report SMART data (Windows, qemu-ga before 7.1).",
                  table_query(f"qga_nvme_critical_warning{{{s}}}"),
                  table_query(f"qga_nvme_temperature_celsius{{{s}}}"),
                  table_query(f"qga_nvme_available_spare_ratio{{{s}}}"),
                  table_query(f"qga_nvme_available_spare_threshold_ratio{{{s}}}"),
                  table_query(f"qga_nvme_percentage_used_ratio{{{s}}}"),
                  table_query(lifetime("qga_nvme_media_errors_total", s)),
                  table_query(lifetime('qga_nvme_power_on_seconds_total', s)),
                  table_query(lifetime("qga_nvme_unsafe_shutdowns_total", s)),
                  hide=(*HIDDEN_LABELS, "guest"),
                  rename={"Value #A": "Critical warning", "Value #B": "Temperature (°C)",
                          "Value #C": "Spare", "Value #D": "Spare threshold",
                          "Value #E": "Life used", "Value #F": "Media errors",
                          "Value #G": "Powered on", "Value #H": "Unsafe shutdowns"}))
        .height(6)
        .no_value("No NVMe SMART data")
        .override_by_name("Powered on", [prop("unit", "s")]),

        row("Network"),
        timeseries("Network throughput", "Bytes received (up) and transmitted (down) per second.",
                   "Bps",
                   query(f"rate(qga_network_receive_bytes_total{{{s}}}[{RI}])",
                         "{{device}} receive"),
                   query(f"rate(qga_network_transmit_bytes_total{{{s}}}[{RI}])",
                         "{{device}} transmit"))
        .override_by_regexp(".* transmit", NEGATIVE_Y),
        timeseries("Network packets", "Packets received (up) and transmitted (down) per second.",
                   "pps",
                   query(f"rate(qga_network_receive_packets_total{{{s}}}[{RI}])",
                         "{{device}} receive"),
                   query(f"rate(qga_network_transmit_packets_total{{{s}}}[{RI}])",
                         "{{device}} transmit"))
        .override_by_regexp(".* transmit", NEGATIVE_Y),
        timeseries("Network errors", "Receive and transmit errors per second.", "pps",
                   query(f"rate(qga_network_receive_errs_total{{{s}}}[{RI}])",
                         "{{device}} receive"),
                   query(f"rate(qga_network_transmit_errs_total{{{s}}}[{RI}])",
                         "{{device}} transmit"))
        .span(8),
        timeseries("Network drops", "Dropped received and transmitted packets per second.", "pps",
                   query(f"rate(qga_network_receive_drop_total{{{s}}}[{RI}])",
                         "{{device}} receive"),
                   query(f"rate(qga_network_transmit_drop_total{{{s}}}[{RI}])",
                         "{{device}} transmit"))
        .span(8),
        table("Addresses", "IP addresses per interface (guest-network-get-interfaces).",
              table_query(f"qga_network_address_info{{{s}}}"),
              hide=(*HIDDEN_LABELS, "guest", "Value"))
        .span(8),

        row("Filesystems"),
        table("Filesystems",
              "Size, available space, use and time until full at the trend of the last 6 hours "
              "(infinite: not filling up).",
              table_query(f"qga_filesystem_size_bytes{{{s}}}"),
              table_query(f"qga_filesystem_avail_bytes{{{s}}}"),
              table_query(f"1 - qga_filesystem_avail_bytes{{{s}}} / "
                          f"qga_filesystem_size_bytes{{{s}}}"),
              table_query(f"qga_filesystem_avail_bytes{{{s}}} / "
                          f"clamp_min(-deriv(qga_filesystem_avail_bytes{{{s}}}[6h]), 0)"),
              hide=(*HIDDEN_LABELS, "guest"),
              rename={"Value #A": "Size", "Value #B": "Available", "Value #C": "Used",
                      "Value #D": "Full in"})
        .override_by_name("Size", [prop("unit", "bytes")])
        .override_by_name("Available", [prop("unit", "bytes")])
        .override_by_name("Used", used_share_column())
        .override_by_name("Full in", [prop("unit", "s")])
        .sort_by([options.TableSortByFieldState().display_name("Used").desc(True)]),
        timeseries("Filesystem use", "Used share of each filesystem.", "percentunit",
                   query(f"1 - qga_filesystem_avail_bytes{{{s}}} / "
                         f"qga_filesystem_size_bytes{{{s}}}", "{{mountpoint}}"))
        .max(1),
        timeseries("Filesystem available", "Space available to unprivileged users.", "bytes",
                   query(f"qga_filesystem_avail_bytes{{{s}}}", "{{mountpoint}}")),

        row("Users"),
        table("Sessions", "Logged-in users and their login time (guest-get-users).",
              table_query(f"qga_user_login_time_seconds{{{s}}} * 1000"),
              hide=(*HIDDEN_LABELS, "guest"), rename={"Value": "Logged in since"})
        .span(12).height(7)
        .override_by_name("Logged in since", [prop("unit", "dateTimeAsIso")]),
        timeseries("Logged-in users", "Number of logged-in users.", "short",
                   query(f"qga_users{{{s}}}", "users"))
        .height(7),

        row("Collector health"),
        state_timeline("Collector success", "Did each collector's agent command succeed?",
                       query(f"qga_scrape_collector_success{{{s}}}", "{{collector}}"),
                       mappings=value_mappings({"0": ("failed", "red"), "1": ("ok", "green")}),
                       steps=UP_STEPS),
        timeseries("Collector duration", "Wall time of each collector in the last poll.", "s",
                   query(f"qga_scrape_collector_duration_seconds{{{s}}}", "{{collector}}"),
                   query(f"qga_poll_duration_seconds{{{s}}}", "whole poll")),
    ]
    return dashboard(
        "qga-guest", "QEMU guests / Guest",
        "One guest seen through its QEMU guest agent: CPU and load, disks and NVMe health, "
        "network, filesystems, users, OS and agent info, collector health.",
        variables(multi_guest=False), panels)


def dashboard(uid: str, title: str, description: str,
              templating: list[Builder[model.VariableModel]],
              panels: list[AnyPanel | dash.Row]) -> dash.Dashboard:
    board = (
        dash.Dashboard(title).uid(uid).description(description).tags(TAGS).editable()
        .tooltip(model.DashboardCursorSync.CROSSHAIR).fiscal_year_start_month(0).live_now(False)
        .timezone(common.TimeZoneBrowser).refresh("1m").time("now-6h", "now").version(1)
        .annotation(dash.AnnotationQuery().name("Annotations & Alerts").built_in(1)
                    .datasource(model.DataSourceRef(type_val="grafana", uid="-- Grafana --"))
                    .enable(True).hide(True).icon_color("rgba(0, 211, 255, 1)").type("dashboard"))
        .link(dash.DashboardLink("qga dashboards").type(model.DashboardLinkType.DASHBOARDS)
              .tags(["qga"]).as_dropdown(False).include_vars(False).keep_time(True)
              .icon("external link").target_blank(False).tooltip("").url(""))
        .variables(templating))
    # Ids in reading order. The SDK lays the panels out left to right, a new line once 24
    # columns are full: every line here fills exactly 24, or the grid check flags it.
    for panel_id, panel in enumerate(panels, start=1):
        if isinstance(panel, dash.Row):
            board.with_row(panel.id(panel_id))
        else:
            board.with_panel(panel.id(panel_id))
    return board


def render(board: dash.Dashboard) -> str:
    """The dashboard as Grafana's "Export for sharing externally" writes it."""
    built = board.build()
    panel_types = sorted({p.type_val for p in built.panels or [] if p.type_val != "row"})
    requires = [
        {"type": "grafana", "id": "grafana", "name": "Grafana", "version": "10.0.0"},
        {"type": "datasource", "id": "prometheus", "name": "Prometheus", "version": "1.0.0"},
    ] + [{"type": "panel", "id": t, "name": t, "version": ""} for t in panel_types]
    exported = {"__inputs": [], "__requires": requires, **built.to_json()}
    return json.dumps(exported, cls=JSONEncoder, indent=2, ensure_ascii=False) + "\n"


def outputs() -> dict[pathlib.Path, str]:
    return {OUT / "qga-fleet.json": render(fleet()), OUT / "qga-guest.json": render(guest())}


def sdk_mismatch() -> str | None:
    try:
        installed = importlib.metadata.version(SDK)
    except importlib.metadata.PackageNotFoundError:
        installed = "none"
    if installed == SDK_VERSION:
        return None
    return (f"build_dashboards.py: {SDK} {installed} is installed, the dashboards are made with "
            f"{SDK_VERSION}: python3 -m pip install '{SDK}=={SDK_VERSION}'")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if mismatch := sdk_mismatch():
        print(mismatch, file=sys.stderr)
        return 1
    return write_or_check("dashboards/src/build_dashboards.py", outputs(), args.check)


if __name__ == "__main__":
    sys.exit(main())
