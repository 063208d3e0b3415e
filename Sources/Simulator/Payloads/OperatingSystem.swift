/// What `guest-get-osinfo` reports, for a few systems guests commonly run.
struct OperatingSystem: Sendable {
    var id: String
    var name: String
    var prettyName: String
    var version: String
    var versionID: String
    var kernelRelease: String
    var kernelVersion: String
    var machine = "x86_64"
    /// Kernels before 4.18 have no discard columns in /proc/diskstats, before 5.5 no flush
    /// columns; the agent then leaves those members out.
    var hasDiscardStats = true
    var hasFlushStats = true
    /// Windows agents add these ("server" or "client"); Linux ones only when os-release has them.
    var variant: String? = nil
    var variantID: String? = nil

    static let catalogue: [OperatingSystem] = [
        OperatingSystem(
            id: "debian", name: "Debian GNU/Linux", prettyName: "Debian GNU/Linux 12 (bookworm)",
            version: "12 (bookworm)", versionID: "12", kernelRelease: "6.1.0-18-amd64",
            kernelVersion: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"),
        OperatingSystem(
            id: "ubuntu", name: "Ubuntu", prettyName: "Ubuntu 22.04.4 LTS",
            version: "22.04.4 LTS (Jammy Jellyfish)", versionID: "22.04", kernelRelease: "5.15.0-101-generic",
            kernelVersion: "#111-Ubuntu SMP Tue Mar 5 20:16:58 UTC 2024"),
        OperatingSystem(
            id: "rocky", name: "Rocky Linux", prettyName: "Rocky Linux 9.3 (Blue Onyx)",
            version: "9.3 (Blue Onyx)", versionID: "9.3", kernelRelease: "5.14.0-362.8.1.el9_3.x86_64",
            kernelVersion: "#1 SMP PREEMPT_DYNAMIC Wed Nov 8 17:36:32 UTC 2023"),
        OperatingSystem(
            id: "centos", name: "CentOS Linux", prettyName: "CentOS Linux 7 (Core)",
            version: "7 (Core)", versionID: "7", kernelRelease: "3.10.0-1160.el7.x86_64",
            kernelVersion: "#1 SMP Mon Oct 19 16:18:59 UTC 2020", hasDiscardStats: false, hasFlushStats: false),
    ]

    /// Where qemu-ga 10.0 comes with the distribution (trixie) or its backports (bookworm).
    static let withAgent10: [OperatingSystem] = [
        OperatingSystem(
            id: "debian", name: "Debian GNU/Linux", prettyName: "Debian GNU/Linux 13 (trixie)",
            version: "13 (trixie)", versionID: "13", kernelRelease: "6.12.43+deb13-amd64",
            kernelVersion: "#1 SMP PREEMPT_DYNAMIC Debian 6.12.43-1 (2025-08-27)"),
        catalogue[0],
    ]

    /// Where qemu-ga 2.12 is the packaged agent.
    static let withAgent2 = catalogue.first { $0.id == "centos" }!

    /// As the Windows agent reports them (captured): Windows 11 keeps "Windows 10" in the
    /// registry's product name, which the agent takes for its pretty name.
    static let windows: [OperatingSystem] = [
        OperatingSystem(
            id: "mswindows", name: "Microsoft Windows", prettyName: "Windows Server 2022 Standard",
            version: "Microsoft Windows Server 2022", versionID: "2022", kernelRelease: "20348", kernelVersion: "10.0",
            variant: "server", variantID: "server"),
        OperatingSystem(
            id: "mswindows", name: "Microsoft Windows", prettyName: "Windows 10 Pro", version: "Microsoft Windows 11",
            versionID: "11", kernelRelease: "26100", kernelVersion: "10.0", variant: "client", variantID: "client"),
    ]
}
