import Foundation
import Hummingbird
import QGAProtocol

/// JSON answers with stable key order, so output is easy to read and diff.
enum JSONBody {
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(bytes: encode(value) + [0x0A])))
    }

    static func encode(_ value: JSONValue, pretty: Bool = false) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted] : [.sortedKeys, .withoutEscapingSlashes]
        // JSONValue always encodes.
        return Array((try? encoder.encode(value)) ?? Data("null".utf8))
    }
}
