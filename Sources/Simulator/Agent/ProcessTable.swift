/// Simulated `guest-exec` processes. Nothing runs: every program behaves like `echo` (prints its
/// arguments), `cat` echoes its input, `false` exits 1, and `sleep N` keeps running for N
/// seconds, so clients can exercise polling `guest-exec-status`.
struct ProcessTable {
    struct Process {
        var finishesAt: Double
        var exitCode: Int
        var output: [UInt8]
        var capture: Bool
    }

    private var processes: [Int64: Process] = [:]
    private var nextPID: Int64

    init(firstPID: Int64) { nextPID = firstPID }

    mutating func start(
        path: String, arguments: [String], input: [UInt8]?, capture: Bool, now: Double
    ) -> Int64 {
        let program = path.split(separator: "/").last.map(String.init) ?? path
        var process = Process(finishesAt: now, exitCode: 0, output: [], capture: capture)
        switch program {
        case "false":
            process.exitCode = 1
        case "true":
            break
        case "cat":
            process.output = input ?? []
        case "sleep":
            process.finishesAt = now + (arguments.first.flatMap(Double.init) ?? 0)
        default:
            process.output = Array((arguments.joined(separator: " ") + "\n").utf8)
        }
        let pid = nextPID
        nextPID += 1
        processes[pid] = process
        return pid
    }

    /// The status, reaping the process once it has exited (a second call then fails, as on
    /// the real agent).
    mutating func status(pid: Int64, now: Double) throws(AgentError) -> JSONValue {
        guard let process = processes[pid] else { throw .invalidParameter("pid") }
        guard now >= process.finishesAt else { return .object(["exited": .bool(false)]) }
        processes[pid] = nil
        var status = JSONObject(["exited": .bool(true), "exitcode": .int(process.exitCode)])
        if process.capture, !process.output.isEmpty {
            status["out-data"] = .string(Base64.encode(process.output))
            status["out-truncated"] = .bool(false)
        }
        return .object(status)
    }
}
