import Hummingbird

/// `/`: what this exporter is, where its endpoints are, and every guest with its state.
enum LandingPage {
    static func add(to router: Router<BasicRequestContext>, telemetryPath: String, store: SnapshotStore) {
        router.get("/") { _, _ -> Response in
            let html = render(telemetryPath: telemetryPath, reports: store.reports())
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: .init(byteBuffer: .init(string: html)))
        }
    }

    static func render(telemetryPath: String, reports: [GuestReport]) -> String {
        var rows = ""
        for report in reports {
            let state = report.state.rawValue
            // The kind tells a missing socket (VM off) from a silent one (booting, agent dead, busy).
            let shownState = switch report.state {
            case .down: "\(state): \(report.errorKind ?? "error")"
            case .paused: "\(state): \(report.pausedFor ?? "lock")"
            case .frozen: "\(state): collectors skipped until thawed"
            case .up, .unknown: state
            }
            rows += "<tr class=\"\(state)\"><td>\(escape(report.name))</td><td>\(escape(shownState))</td>"
                + "<td>\(escape(report.agentVersion ?? ""))</td><td>\(escape(report.address))</td>"
                + "<td>\(escape(report.lastError ?? ""))\(problemList(report.problems))</td>"
                + "<td><a href=\"/probe?target=\(escapeQuery(report.name))&amp;module=node\">node</a></td></tr>\n"
        }
        if reports.isEmpty { rows = "<tr><td colspan=\"6\">No guests configured or discovered.</td></tr>\n" }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>QEMU Guest Agent Exporter</title>
        <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
        tr.down td:nth-child(2){color:#b00}tr.up td:nth-child(2){color:#070}tr.frozen td:nth-child(2),tr.paused td:nth-child(2){color:#a60}</style></head>
        <body><h1>QEMU Guest Agent Exporter</h1>
        <p>Version \(escape(BuildInfo.version)) (revision \(escape(BuildInfo.revision)))</p>
        <ul><li><a href="\(escape(telemetryPath))">Metrics</a></li><li><a href="/sd">Service discovery (HTTP SD)</a></li>
        <li><a href="/-/healthy">Health</a></li><li><a href="/-/ready">Readiness</a></li></ul>
        <h2>Guests</h2>
        <table><tr><th>Guest</th><th>State</th><th>Agent</th><th>Address</th><th>Last error / incomplete data</th><th>Probe</th></tr>
        \(rows)</table></body></html>

        """
    }

    /// Collector failures and dropped entries of the last poll, under the guest's last error.
    static func problemList(_ problems: [String]) -> String {
        guard !problems.isEmpty else { return "" }
        return "<ul class=\"problems\">" + problems.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func escapeQuery(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
