import NIOCore

extension TimeAmount {
    static func fractionalSeconds(_ seconds: Double) -> TimeAmount { .nanoseconds(Int64(seconds * 1e9)) }
}
