#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FuzzSupport

@testable import QGAProtocol

/// One reply line through what the client does with it: the routing header, then the result
/// as each command's type. Anything that decodes must survive a round trip unchanged (no
/// precision lost in 64-bit counters, unknown enum values and union members kept).
enum ReplyCheck {
    static func run(line: [UInt8]) {
        let data = Data(line)
        guard let header = try? WireJSON.decode(ReplyHeader.self, from: data) else {
            // The header refuses only what is not a JSON object.
            if case .object? = try? WireJSON.decode(JSONValue.self, from: data) {
                fatalError("invariant broken: a JSON object was refused as a reply header")
            }
            return
        }
        require(header.returnInteger == nil || header.hasReturn, "an integer return without 'return'")
        guard header.hasReturn else { return }
        for result in TypedResult.all { result.check(data) }
    }
}

/// One command's result type, decoded from a reply's `return` and checked by a round trip.
struct TypedResult {
    let check: (Data) -> Void

    static func of<T: Codable & Equatable>(_ type: T.Type) -> TypedResult {
        TypedResult { data in
            guard let value = try? WireJSON.decode(ReturnEnvelope<T>.self, from: data).value else { return }
            let again: T
            do {
                again = try WireJSON.decode(T.self, from: try WireJSON.encode(value))
            } catch {
                fatalError("invariant broken: \(T.self) decoded but its own encoding does not decode: \(error)")
            }
            require(again == value, "\(T.self) changed in a round trip: \(value) became \(again)")
        }
    }

    /// The results the collectors and the control API read.
    static var all: [TypedResult] { [
        .of(JSONValue.self), .of(Int64.self), .of(GuestAgentInfo.self),
        .of([GuestDiskStatsInfo].self), .of([GuestCpuStats].self), .of([GuestNetworkInterface].self),
        .of([GuestFilesystemInfo].self), .of([GuestUser].self), .of(GuestOSInfo.self),
        .of(GuestHostName.self), .of(GuestTimezone.self), .of([GuestLogicalProcessor].self),
        .of(GuestFsfreezeStatus.self), .of([GuestDiskInfo].self), .of([GuestDeviceInfo].self),
        .of(GuestExecStatus.self), .of(GuestExec.self), .of(GuestFileRead.self), .of(GuestFileWrite.self),
        .of(GuestFileSeek.self), .of([GuestNetworkRoute].self), .of([GuestMemoryBlock].self),
        .of(GuestMemoryBlockInfo.self), .of([GuestMemoryBlockResponse].self),
        .of(GuestFilesystemTrimResponse.self), .of(GuestAuthorizedKeys.self), .of(EmptyReply.self),
    ] }
}
