#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FuzzSupport

@testable import QGAProtocol

/// One reply line through what the client does with it: our parser (checked against
/// Foundation's where both accept the line), the routing header, then the result as each
/// command's type. Anything that decodes must survive a round trip unchanged (no precision lost
/// in 64-bit counters, unknown enum values and union members kept).
enum ReplyCheck {
    static func run(line: [UInt8]) {
        let ours = try? JSONParser.parse(line)
        if let ours, let foundation = try? JSONDecoder().decode(JSONValue.self, from: Data(line)) {
            require(sameTree(ours, foundation), "our parser and Foundation disagree: \(ours) vs \(foundation)")
        }
        guard let parsed = ours else { return }
        guard let reply = ReceivedReply(line: parsed) else {
            require(parsed.objectValue == nil, "a JSON object was refused as a reply")
            return
        }
        require(reply.header.returnInteger == nil || reply.header.hasReturn, "an integer return without 'return'")
        guard reply.header.hasReturn else { return }
        for result in TypedResult.all { result.check(reply.result) }
    }

    /// Equal trees, numbers compared by value (Foundation may read `1.0` as an integer).
    static func sameTree(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(sameTree)
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.members.allSatisfy { member in y[member.key].map { sameTree(member.value, $0) } ?? false }
        default:
            if let x = a.doubleValue, let y = b.doubleValue { return x == y }
            return a == b
        }
    }
}

/// One command's result type, decoded from a reply's `return` and checked by a round trip.
struct TypedResult {
    let check: (JSONValue) -> Void

    static func of<T: Codable & Equatable>(_ type: T.Type) -> TypedResult {
        TypedResult { result in
            guard let value = try? WireJSON.decode(T.self, from: result) else { return }
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
