"""What one exporter poll sends, so the raw client can send exactly the same.

From Sources/QGAExporter/Polling/GuestPoller.swift and Collectors/CollectorCatalog.swift:
Each poll is one session (connect, 0xFF + guest-sync-delimited, the commands, close), as the
exporter's default `connection: short` makes it: `guest-info` on the first poll and every 20th
after it, then the freeze check first (a frozen agent refuses the rest) and one command per
collector in the catalogue's order, each sent after the previous reply arrived.
The harness checks this list against the collectors the exporter reports, so a new collector
cannot silently make the comparison unfair."""

INFO_EVERY = 20

# collector name -> its one command, in the order a poll sends them
COLLECTOR_COMMANDS = [
    ("fsfreeze", "guest-fsfreeze-status"),
    ("diskstats", "guest-get-diskstats"),
    ("cpustats", "guest-get-cpustats"),
    ("netdev", "guest-network-get-interfaces"),
    ("filesystem", "guest-get-fsinfo"),
    ("users", "guest-get-users"),
    ("osinfo", "guest-get-osinfo"),
    ("hostname", "guest-get-host-name"),
    ("timezone", "guest-get-timezone"),
    ("time", "guest-get-time"),
    ("vcpus", "guest-get-vcpus"),
    ("disks", "guest-get-disks"),
]
# Collectors the agent under test (Debian's qemu-ga 7.2) does not offer, or that are off by
# default: the exporter skips them, so the raw client does too.
NOT_OFFERED = {"load", "routes"}

COMMANDS = [command for _, command in COLLECTOR_COMMANDS]


def check_exporter_matches(collector_success):
    """collector_success: [(collector, 0/1)] from one guest's last poll."""
    reported = {name for name, _ in collector_success} - NOT_OFFERED
    expected = {name for name, _ in COLLECTOR_COMMANDS}
    if reported != expected:
        raise RuntimeError(f"the exporter ran collectors {sorted(reported)}, the raw client sends {sorted(expected)}: "
                           "update Benchmarks/exporter/bench/commands.py")
    failed = [name for name, value in collector_success if value != 1]
    if failed:
        raise RuntimeError(f"collectors failed against the real agent: {failed}")
