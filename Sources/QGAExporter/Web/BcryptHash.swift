/// What we know of a bcrypt hash without running bcrypt.
enum BcryptHash {
    /// `$2a$`, `$2b$` or `$2y$`, a two-digit cost, then 53 characters of salt and hash.
    static func check(_ hash: String) throws(ConfigProblem) {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, ["2a", "2b", "2y"].contains(parts[1]),
              let cost = Int(parts[2]), (4...31).contains(cost), parts[3].count == 53
        else { throw ConfigProblem("not a bcrypt hash (expected $2y$10$ followed by 53 characters, e.g. from htpasswd -nBC 10)") }
    }

    /// `$2y$` (htpasswd, PHP) is the same algorithm as `$2b$`; our bcrypt knows only a and b.
    static func normalized(_ hash: String) -> String {
        hash.hasPrefix("$2y$") ? "$2b$" + hash.dropFirst(4) : hash
    }

    static func cost(of hash: String) -> UInt8 {
        let parts = hash.split(separator: "$")
        return parts.count >= 2 ? UInt8(parts[1]) ?? 10 : 10
    }
}
