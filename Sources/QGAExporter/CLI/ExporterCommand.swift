import ArgumentParser

/// `qga_exporter`: serve metrics (the default), or talk to guests (`call`, `guests`) through a running exporter
/// or straight to an agent socket.
@main
struct ExporterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qga_exporter",
        abstract: "Prometheus exporter for the QEMU Guest Agent: polls qemu-ga in every VM of this host.",
        discussion: """
            Without a subcommand, qga_exporter serves metrics; its flags (--web.listen-address, \
            --config.file, --guest NAME=ADDRESS, --poll.interval, --collector.NAME, --log.level, ...) \
            are listed by 'qga_exporter serve --help'.
            """,
        version: BuildInfo.versionText,
        subcommands: [ServeCommand.self, CallCommand.self, GuestsCommand.self, CommandsCommand.self],
        defaultSubcommand: ServeCommand.self)
}
