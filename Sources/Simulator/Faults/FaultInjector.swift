import NIOCore

/// What actually goes on the wire for one response: the bytes, and whether the connection is
/// cut after them.
struct PlannedOutput {
    var chunks: [ByteBuffer] = []
    var closesAfter = false
}

/// Turns an agent's response into what a guest with faults sends. Only replies to commands are
/// tampered with; the error line a 0xFF produces is left alone so a client can always resync.
enum FaultInjector {
    static func plan(_ response: GuestAgent.Response, endpoint: GuestEndpoint) -> PlannedOutput {
        var output = PlannedOutput()
        guard let line = response.line else { return output }
        let faults = endpoint.faults
        guard response.command != nil, !faults.isEmpty else {
            output.chunks.append(ByteBuffer(bytes: line))
            return output
        }
        let probability = endpoint.settings.probability
        if faults.contains(.garbage), endpoint.dice.chance(probability) {
            output.chunks.append(ByteBuffer(bytes: garbageLine(&endpoint.dice)))
            endpoint.record(.fault, command: response.command, id: response.id, detail: "garbage")
        }
        if faults.contains(.stale), endpoint.dice.chance(probability) {
            let stale = endpoint.lastReplyLine ?? GuestAgent.encodeLine(.object([
                "return": .object(JSONObject()), "id": .string("stale-\(endpoint.dice.next() % 1_000_000)"),
            ]))
            output.chunks.append(ByteBuffer(bytes: stale))
            endpoint.record(.fault, command: response.command, id: response.id, detail: "stale")
        }
        if faults.contains(.oversize), endpoint.dice.chance(probability) {
            output.chunks.append(oversizeLine(id: response.id, filler: endpoint.oversizeFiller))
            endpoint.record(.fault, command: response.command, id: response.id, detail: "oversize")
            return output
        }
        if faults.contains(.disconnect), endpoint.dice.chance(probability) {
            output.chunks.append(ByteBuffer(bytes: line.prefix(max(1, line.count / 2))))
            output.closesAfter = true
            endpoint.record(.fault, command: response.command, id: response.id, detail: "disconnect")
            return output
        }
        output.chunks.append(ByteBuffer(bytes: line))
        endpoint.lastReplyLine = line
        return output
    }

    /// A line of printable junk that no JSON parser accepts (it never starts with `{`, and
    /// never holds 0xFF, which would look like a sync delimiter).
    static func garbageLine(_ dice: inout SeededRandom) -> [UInt8] {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789 #%&*<>?@!~".utf8)
        var line = Array("#garbage ".utf8)
        for _ in 0..<(8 + Int(dice.next() % 56)) { line.append(alphabet[Int(dice.next() % UInt64(alphabet.count))]) }
        line.append(0x0A)
        return line
    }

    /// `{"return": "AAAA...", "id": ID}` with a string long enough to pass the size cap.
    static func oversizeLine(id: JSONValue?, filler: ByteBuffer) -> ByteBuffer {
        var buffer = ByteBuffer(string: "{\"return\": \"")
        buffer.reserveCapacity(filler.readableBytes + 64)
        buffer.writeImmutableBuffer(filler)
        buffer.writeString("\"")
        if let id {
            buffer.writeString(", \"id\": ")
            buffer.writeBytes(AgentJSONEncoder.encode(id))
        }
        buffer.writeString("}\n")
        return buffer
    }

    static func makeFiller(size: Int) -> ByteBuffer {
        ByteBuffer(repeating: UInt8(ascii: "A"), count: size)
    }
}
