/// Who is calling, once their credentials have been checked.
struct Principal: Sendable, Equatable {
    enum Method: String, Sendable {
        case token, basic
        /// No credentials on the unix socket: its file permissions decided who may connect.
        case socket
    }

    /// The caller of a unix socket listener who sent no credentials.
    static let localName = "local"

    var name: String
    var method: Method
}
