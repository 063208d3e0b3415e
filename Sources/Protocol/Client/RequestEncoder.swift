import NIOCore

/// Builds request bytes. Arguments arrive already encoded, so the envelope is plain text.
enum RequestEncoder {
    static func request(command: String, arguments: ByteBuffer?, id: Int64) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString("{\"execute\":")
        buffer.writeString(quoted(command))
        if let arguments {
            buffer.writeString(",\"arguments\":")
            buffer.writeImmutableBuffer(arguments)
        }
        buffer.writeString(",\"id\":\(id)}\n")
        return buffer
    }

    /// A request without id or newline, for libvirt: it adds its own sync and framing.
    static func plainRequest(command: String, arguments: ByteBuffer?) -> String {
        var text = "{\"execute\":" + quoted(command)
        if let arguments {
            text += ",\"arguments\":" + String(buffer: arguments)
        }
        return text + "}"
    }

    /// 0xFF first: the agent flushes any partial request a previous client left behind.
    static func syncDelimited(token: Int64) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(0xFF))
        buffer.writeString("{\"execute\":\"guest-sync-delimited\",\"arguments\":{\"id\":\(token)}}\n")
        return buffer
    }

    /// A JSON string literal. Command names are ASCII identifiers, but escape anyway.
    static func quoted(_ text: String) -> String { JSONString.quoted(text) }
}

/// Short, readable text for a DecodingError: the path to the bad member and what was wrong.
enum DecodingErrorText {
    static func describe(_ error: any Error) -> String {
        guard let decodingError = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "top level" : keys
        }
        switch decodingError {
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(type): \(context.debugDescription)"
        case .valueNotFound(let type, let context):
            return "\(path(context)): missing \(type) value"
        case .keyNotFound(let key, let context):
            return "\(path(context)): missing member '\(key.stringValue)'"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(decodingError)"
        }
    }
}
