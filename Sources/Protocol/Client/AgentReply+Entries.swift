/// A list reply decoded entry by entry (`AgentReply.decodeEntries`): what decoded, and why each
/// entry that did not was dropped.
public struct DecodedEntries<Entry: Sendable>: Sendable {
    public var entries: [Entry]
    /// One line per dropped entry, e.g. `guest-get-fsinfo[3].disk[0]: missing member 'bus-type'`.
    public var dropped: [String]
}

extension AgentReply {
    /// The result, a JSON array, as `Entry`s, one at a time: an entry that does not decode costs
    /// that entry only, and is named in `dropped`. Throws only when there is no array at all
    /// (the agent refused the command, the channel failed, or the result is not a list).
    public func decodeEntries<Entry: Decodable & Sendable>(_ type: Entry.Type) throws(AgentError) -> DecodedEntries<Entry> {
        let items = try decode([JSONValue].self)
        var entries: [Entry] = []
        var dropped: [String] = []
        entries.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            do {
                entries.append(try WireJSON.decode(Entry.self, from: item))
            } catch {
                let detail = DecodingErrorText.describe(error)
                dropped.append("\(command)[\(index)]" + (detail.hasPrefix("top level") ? ": " + detail.dropFirst("top level: ".count) : detail))
            }
        }
        return DecodedEntries(entries: entries, dropped: dropped)
    }
}
