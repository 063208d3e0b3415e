import Foundation
import Testing

@testable import QGAProtocol

/// The hot result types decode themselves from the tree (`TreeDecodable`); their synthesized
/// `init(from:)`, run by Foundation's decoder, is the reference. Both must accept the same
/// inputs with the same values and refuse the same broken ones.
@Suite struct TreeDecodableTests {
    static let disk = #"{"name": "vda", "major": 253, "minor": 0, "stats": {"read-sectors": 18446744073709551615, "read-ios": 10, "read-merges": 1, "write-sectors": 2, "write-ios": 3, "write-merges": 4, "discard-sectors": 5, "discard-ios": 6, "discard-merges": 7, "flush-ios": 8, "read-ticks": 9, "write-ticks": 10, "discard-ticks": 11, "flush-ticks": 12, "ios-pgr": 0, "total-ticks": 13, "weight-ticks": 14}}"#
    static let cpu = #"{"type": "linux", "cpu": 1, "user": 100, "nice": 1, "system": 50, "idle": 9000, "iowait": 3, "irq": 0, "softirq": 2, "steal": 0, "guest": 0, "guestnice": 0}"#
    static let interface = #"{"name": "eth0", "hardware-address": "52:54:00:12:34:56", "ip-addresses": [{"ip-address-type": "ipv4", "ip-address": "10.0.0.5", "prefix": 24}], "statistics": {"rx-bytes": 1, "rx-packets": 2, "rx-errs": 0, "rx-dropped": 0, "tx-bytes": 3, "tx-packets": 4, "tx-errs": 0, "tx-dropped": 0}}"#

    /// The fixture, then every member dropped, set to null, to a string, to a negative, to a
    /// fraction and to a number over UInt64.max, one at a time and in nested objects too.
    static func variants(of text: String) throws -> [JSONValue] {
        let base = try JSONParser.parse(Array(text.utf8))
        var result = [base]
        func mutate(_ value: JSONValue, _ rebuild: (JSONValue?) -> JSONValue) {
            guard case .object(let members) = value else { return }
            for key in members.keys.sorted() {
                var without = members
                without[key] = nil
                result.append(rebuild(.object(without)))
                for replacement: JSONValue in [.null, .string("x"), .int(-1), .double(1.5), .double(2.0), .double(1e20), .bool(true)] {
                    var changed = members
                    changed[key] = replacement
                    result.append(rebuild(.object(changed)))
                }
                mutate(members[key]!) { inner in
                    var changed = members
                    changed[key] = inner
                    return rebuild(.object(changed))
                }
            }
        }
        mutate(base) { $0 ?? .null }
        return result
    }

    private func compare<T: Decodable & Equatable>(_ type: T.Type, _ fixture: String) throws {
        var accepted = 0
        for variant in try Self.variants(of: fixture) {
            let text = try JSONEncoder().encode([variant])
            let reference = try? JSONDecoder().decode([T].self, from: text)
            let ours = try? WireJSON.decode([T].self, from: text)
            #expect(ours == reference, "\(String(decoding: text, as: UTF8.self))")
            if reference != nil { accepted += 1 }
        }
        #expect(accepted > 1, "the fixture and some variants must decode, or the comparison shows nothing")
    }

    @Test func diskStatsDecodeAsTheirCodableConformanceDoes() throws {
        try compare(GuestDiskStatsInfo.self, Self.disk)
    }

    @Test func cpuStatsDecodeAsTheirCodableConformanceDoes() throws {
        try compare(GuestCpuStats.self, Self.cpu)
    }

    @Test func interfaceStatsDecodeAsTheirCodableConformanceDoes() throws {
        try compare(GuestNetworkInterface.self, Self.interface)
    }

    @Test func errorsNameTheMember() throws {
        let broken = Self.disk.replacingOccurrences(of: #""read-ios": 10"#, with: #""read-ios": "ten""#)
        #expect {
            try WireJSON.decode([GuestDiskStatsInfo].self, from: Data(("[" + broken + "]").utf8))
        } throws: { error in
            DecodingErrorText.describe(error).contains("stats.read-ios")
        }
    }
}
