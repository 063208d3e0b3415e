import NIOCore
import NIOPosix

/// Turns a failed connect into an `AgentError` whose kind says what the operator must fix.
enum ConnectErrorClassifier {
    static func classify(_ error: any Error, address: AgentAddress) -> AgentError {
        if let channelError = error as? ChannelError, case .connectTimeout(let amount) = channelError {
            let milliseconds = amount.nanoseconds / 1_000_000
            return AgentError(kind: .connectTimeout, message: "connecting to \(address) timed out after \(milliseconds) ms")
        }
        if let connectionError = error as? NIOConnectionError {
            // Several addresses may have been tried; the first real socket error is the story.
            if let first = connectionError.connectionErrors.first {
                return classify(first.error, address: address)
            }
            let cause = connectionError.dnsAError ?? connectionError.dnsAAAAError
            return AgentError(
                kind: .connectFailed,
                message: "cannot resolve \(connectionError.host): \(cause.map { "\($0)" } ?? "no addresses")"
            )
        }
        if let ioError = error as? IOError {
            return classify(errno: ioError.errnoCode, detail: "\(ioError)", address: address)
        }
        if let addressError = error as? SocketAddressError {
            return AgentError(kind: .connectFailed, message: "bad socket address \(address): \(addressError)")
        }
        return AgentError(kind: .connectFailed, message: "cannot connect to \(address): \(error)")
    }

    static func classify(errno code: Int32, detail: String, address: AgentAddress) -> AgentError {
        switch code {
        case ENOENT, ENOTDIR:
            return AgentError(kind: .socketNotFound, message: "no agent socket at \(address) (\(detail))")
        case ECONNREFUSED, ECONNRESET:
            return AgentError(
                kind: .connectionRefused,
                message: "connection to \(address) refused: nobody listens (VM not running?) (\(detail))"
            )
        case EACCES, EPERM:
            return AgentError(kind: .permissionDenied, message: "permission denied connecting to \(address) (\(detail))")
        case ETIMEDOUT:
            return AgentError(kind: .connectTimeout, message: "connecting to \(address) timed out (\(detail))")
        case EAGAIN:
            return AgentError(
                kind: .connectFailed,
                message: "\(address) is not accepting connections: its queue is full, another client may hold the agent (\(detail))"
            )
        default:
            return AgentError(kind: .connectFailed, message: "cannot connect to \(address): \(detail)")
        }
    }
}
