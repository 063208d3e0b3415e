/// The guest's files for `guest-file-*`: an in-memory filesystem of byte arrays and the open
/// handles into it, numbered from 1000 as qemu-ga numbers them.
struct FileTable {
    struct OpenFile {
        var path: String
        var position: Int
        var readable: Bool
        var writable: Bool
        var appending: Bool
    }

    private(set) var contents: [String: [UInt8]]
    private var handles: [Int64: OpenFile] = [:]
    private var nextHandle: Int64 = 1000

    /// qemu-ga caps one read at 48 MiB.
    static let maxReadCount: Int64 = 48 << 20
    static let defaultReadCount: Int64 = 4096

    init(contents: [String: [UInt8]]) { self.contents = contents }

    mutating func open(path: String, mode: String) throws(AgentError) -> Int64 {
        let flags = mode.filter { $0 != "b" }
        guard ["r", "r+", "w", "w+", "a", "a+"].contains(flags) else {
            throw .generic("invalid file open mode '\(mode)'")
        }
        let exists = contents[path] != nil
        if flags.hasPrefix("r") && !exists {
            throw .generic("failed to open file '\(path)' (mode: '\(mode)'): No such file or directory")
        }
        if flags.hasPrefix("w") || !exists { contents[path] = [] }
        let handle = nextHandle
        nextHandle += 1
        handles[handle] = OpenFile(
            path: path, position: 0, readable: flags.hasPrefix("r") || flags.hasSuffix("+"),
            writable: flags != "r", appending: flags.hasPrefix("a"))
        return handle
    }

    mutating func close(handle: Int64) throws(AgentError) {
        guard handles.removeValue(forKey: handle) != nil else { throw .handleNotFound(handle) }
    }

    /// Reads up to `count` bytes; `eof` when fewer came back than asked (as fread + feof).
    mutating func read(handle: Int64, count: Int64) throws(AgentError) -> (bytes: [UInt8], eof: Bool) {
        guard var file = handles[handle] else { throw .handleNotFound(handle) }
        guard count >= 0, count <= Self.maxReadCount else {
            throw .generic("value '\(count)' is invalid for argument count")
        }
        guard file.readable else { throw .generic("failed to read file: Bad file descriptor") }
        let data = contents[file.path] ?? []
        let start = min(file.position, data.count)
        let end = min(data.count, start + Int(count))
        file.position = end
        handles[handle] = file
        return (Array(data[start..<end]), end - start < Int(count))
    }

    mutating func write(handle: Int64, bytes: [UInt8]) throws(AgentError) -> Int {
        guard var file = handles[handle] else { throw .handleNotFound(handle) }
        guard file.writable else { throw .generic("failed to write to file: Bad file descriptor") }
        var data = contents[file.path] ?? []
        if file.appending { file.position = data.count }
        if file.position > data.count { data.append(contentsOf: repeatElement(0, count: file.position - data.count)) }
        let overlap = min(bytes.count, data.count - file.position)
        data.replaceSubrange(file.position..<file.position + overlap, with: bytes)
        file.position += bytes.count
        contents[file.path] = data
        handles[handle] = file
        return bytes.count
    }

    enum Whence { case set, current, end }

    mutating func seek(handle: Int64, offset: Int64, whence: Whence) throws(AgentError) -> Int {
        guard var file = handles[handle] else { throw .handleNotFound(handle) }
        let size = contents[file.path]?.count ?? 0
        let base: Int
        switch whence {
        case .set: base = 0
        case .current: base = file.position
        case .end: base = size
        }
        let target = base + Int(offset)
        guard target >= 0 else { throw .generic("failed to seek file: Invalid argument") }
        file.position = target
        handles[handle] = file
        return target
    }

    func flush(handle: Int64) throws(AgentError) {
        guard handles[handle] != nil else { throw .handleNotFound(handle) }
    }
}
