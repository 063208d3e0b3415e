import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// Checks `Authorization` headers against bearer tokens and bcrypt basic-auth users.
///
/// Tokens are compared in constant time, all of them every time. An unknown user name still
/// costs one bcrypt run (against a decoy hash), so timing does not reveal which users exist.
/// Credentials that passed bcrypt once are remembered by their SHA-256 (as exporter-toolkit
/// does), so a scraper with basic auth costs one bcrypt run, not one per scrape; failures are
/// never remembered, so every wrong guess still costs a full bcrypt run.
final class Authenticator: Sendable {
    enum Outcome: Sendable, Equatable {
        case authenticated(Principal)
        /// `claimed` is the user name a failed basic auth gave (for the audit log).
        case denied(reason: String, claimed: String?)
    }

    private let tokens: [(name: String, token: [UInt8])]
    private let users: [String: String]
    private let decoyHash: String?
    private let verify: @Sendable (_ password: String, _ hash: String) -> Bool
    private let verified = Mutex<Set<SHA256Digest>>([])
    private static let verifiedLimit = 256
    /// Unix socket listeners accept callers without credentials as `local`.
    let acceptsAnonymousLocal: Bool

    /// `verify` is bcrypt; tests count its calls.
    init(tokens: [(name: String, token: String)], users: [String: String], acceptsAnonymousLocal: Bool,
         verify: @escaping @Sendable (_ password: String, _ hash: String) -> Bool = { Bcrypt.verify($0, hash: $1) }) {
        self.verify = verify
        self.tokens = tokens.map { ($0.name, Array($0.token.utf8)) }
        self.users = users.mapValues(BcryptHash.normalized)
        self.acceptsAnonymousLocal = acceptsAnonymousLocal
        // Same cost as a real user's hash, so a miss takes as long as a hit.
        decoyHash = users.values.first.map { Bcrypt.hash(UUID().uuidString, cost: BcryptHash.cost(of: $0)) }
    }

    var hasCredentials: Bool { !tokens.isEmpty || !users.isEmpty }

    /// The `WWW-Authenticate` challenges for a 401.
    var challenges: [String] {
        var result: [String] = []
        if !tokens.isEmpty { result.append(#"Bearer realm="qga_exporter""#) }
        if !users.isEmpty { result.append(#"Basic realm="qga_exporter", charset="UTF-8""#) }
        return result
    }

    func authenticate(authorization: String?) async -> Outcome {
        guard let authorization, !authorization.isEmpty else {
            if acceptsAnonymousLocal { return .authenticated(Principal(name: Principal.localName, method: .socket)) }
            return .denied(reason: "authentication required", claimed: nil)
        }
        let (scheme, rest) = Self.split(authorization)
        switch scheme.lowercased() {
        case "bearer": return checkToken(rest)
        case "basic": return await checkBasic(rest)
        default: return .denied(reason: "unsupported authorization scheme", claimed: nil)
        }
    }

    private func checkToken(_ presented: Substring) -> Outcome {
        let bytes = Array(presented.utf8)
        var match: String?
        for (name, token) in tokens where ConstantTime.equals(bytes, token) && match == nil {
            match = name
        }
        guard let match else { return .denied(reason: "invalid token", claimed: nil) }
        return .authenticated(Principal(name: match, method: .token))
    }

    private func checkBasic(_ encoded: Substring) async -> Outcome {
        guard let data = Data(base64Encoded: String(encoded)), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":")
        else { return .denied(reason: "malformed basic credentials", claimed: nil) }
        let user = String(text[..<colon])
        let password = String(text[text.index(after: colon)...])
        guard let hash = users[user] ?? decoyHash else { return .denied(reason: "invalid user or password", claimed: user) }
        let known = users[user] != nil
        // The hash is part of the key: a user whose password changes starts afresh.
        let key = SHA256.hash(data: Array("\(user)\u{0}\(password)\u{0}\(hash)".utf8))
        if known, verified.withLock({ $0.contains(key) }) {
            return .authenticated(Principal(name: user, method: .basic))
        }
        // bcrypt takes tens of milliseconds: keep it off the event loops.
        let verify = self.verify
        let passed = (try? await NIOThreadPool.singleton.runIfActive { verify(password, hash) }) ?? false
        guard known && passed else { return .denied(reason: "invalid user or password", claimed: user) }
        verified.withLock { remembered in
            if remembered.count >= Self.verifiedLimit { remembered.removeAll() }
            remembered.insert(key)
        }
        return .authenticated(Principal(name: user, method: .basic))
    }

    private static func split(_ header: String) -> (Substring, Substring) {
        let trimmed = header.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " ") else { return (trimmed, "") }
        return (trimmed[..<space], trimmed[trimmed.index(after: space)...].drop { $0 == " " })
    }
}
