// Types of the guest agent protocol (qemu-ga-ref 9.2), named as in the reference.

/// One vCPU: `guest-get-vcpus`, and input of `guest-set-vcpus`.
public struct GuestLogicalProcessor: Codable, Sendable, Hashable {
    /// Guest-specific vCPU id.
    public var logicalId: Int
    /// Whether the vCPU is enabled.
    public var online: Bool
    /// Whether it can be taken offline (ignored on input).
    public var canOffline: Bool?

    enum CodingKeys: String, CodingKey {
        case logicalId = "logical-id"
        case online
        case canOffline = "can-offline"
    }
}

/// One memory block: `guest-get-memory-blocks`, and input of `guest-set-memory-blocks`.
public struct GuestMemoryBlock: Codable, Sendable, Hashable {
    /// Guest-specific memory block id.
    public var physIndex: UInt64
    /// Whether the block is online.
    public var online: Bool
    /// Whether it can be taken offline (ignored on input).
    public var canOffline: Bool?

    enum CodingKeys: String, CodingKey {
        case physIndex = "phys-index"
        case online
        case canOffline = "can-offline"
    }
}

/// Outcome of changing one memory block.
public enum GuestMemoryBlockResponseType: OpenEnum {
    case success
    case notFound
    case operationNotSupported
    case operationFailed
    /// A value this library does not know yet, kept as sent.
    case unknown(String)

    public static let known: [Self] = [.success, .notFound, .operationNotSupported, .operationFailed]

    public var rawValue: String {
        switch self {
        case .success: "success"
        case .notFound: "not-found"
        case .operationNotSupported: "operation-not-supported"
        case .operationFailed: "operation-failed"
        case .unknown(let raw): raw
        }
    }
}

/// Result for one block of `guest-set-memory-blocks`.
public struct GuestMemoryBlockResponse: Codable, Sendable, Hashable {
    /// The block.
    public var physIndex: UInt64
    /// What happened.
    public var response: GuestMemoryBlockResponseType
    /// errno when the operation failed.
    public var errorCode: Int?

    enum CodingKeys: String, CodingKey {
        case physIndex = "phys-index"
        case response
        case errorCode = "error-code"
    }
}

/// `guest-get-memory-block-info`.
public struct GuestMemoryBlockInfo: Codable, Sendable, Hashable {
    /// Size in bytes of one memory block.
    public var size: UInt64
}
