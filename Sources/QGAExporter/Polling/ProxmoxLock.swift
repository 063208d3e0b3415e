import Foundation

/// Proxmox VE marks a VM busy in its config file (`/etc/pve/qemu-server/<vmid>.conf`) with a
/// `lock:` line. During `lock: backup` vzdump freezes and thaws the guest through the agent, and
/// during `lock: snapshot` so does a snapshot: an exporter must stay off the agent's one channel
/// then, so that the thaw gets through at once.
enum ProxmoxLock {
    /// The locks during which the guest is not polled.
    static let pausing: Set<String> = ["backup", "snapshot"]

    /// The lock that pauses polling, if the config has one. An unreadable file (the VM moved to
    /// another node, pmxcfs restarting) pauses nothing: the poll then says what it finds.
    static func pausingLock(configPath: String) -> String? {
        guard let text = try? String(contentsOfFile: configPath, encoding: .utf8) else { return nil }
        return lock(inConfig: text).flatMap { pausing.contains($0) ? $0 : nil }
    }

    /// The `lock:` value of the VM's current settings: the lines before the first `[section]`
    /// (snapshots keep their own settings in sections below).
    static func lock(inConfig text: String) -> String? {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("[") { return nil }
            guard line.hasPrefix("lock:") else { continue }
            let value = line.dropFirst("lock:".count).trimmingCharacters(in: .whitespaces)
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
