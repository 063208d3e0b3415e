/// The members of a reply line the client needs for routing, read from the parsed line.
struct ReplyHeader: Sendable {
    struct ErrorBody: Sendable {
        var errorClass: String
        var desc: String
    }

    var id: JSONValue?
    var hasReturn: Bool
    /// `return` when it is an integer: what a sync reply carries.
    var returnInteger: Int64?
    var error: ErrorBody?

    /// Nil when the line is not a JSON object: that is garbage, not a reply.
    init?(_ line: JSONValue) {
        guard case .object(let members) = line else { return nil }
        id = members["id"]
        hasReturn = members["return"] != nil
        returnInteger = members["return"]?.int64Value
        if case .object(let body)? = members["error"] {
            error = ErrorBody(errorClass: body["class"]?.stringValue ?? "GenericError", desc: body["desc"]?.stringValue ?? "")
        }
    }
}

/// A reply line that matched the call waiting for it, parsed once.
struct ReceivedReply: Sendable {
    var header: ReplyHeader
    /// The whole line.
    var line: JSONValue

    init?(line: JSONValue) {
        guard let header = ReplyHeader(line) else { return nil }
        self.header = header
        self.line = line
    }

    /// The `return` member (`null` when absent; check `header.hasReturn` first).
    var result: JSONValue { line["return"] ?? .null }
}
