#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The members of a reply line the client needs for routing; the result itself is decoded
/// later, straight from `data`, into whatever type the caller asked for.
struct ReplyHeader: Decodable, Sendable {
    struct ErrorBody: Decodable, Sendable {
        var errorClass: String
        var desc: String

        enum CodingKeys: String, CodingKey {
            case errorClass = "class"
            case desc
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            errorClass = (try? container.decodeIfPresent(String.self, forKey: .errorClass)) ?? "GenericError"
            desc = (try? container.decodeIfPresent(String.self, forKey: .desc)) ?? ""
        }
    }

    var id: JSONValue?
    var hasReturn: Bool
    /// `return` when it is an integer: what a sync reply carries.
    var returnInteger: Int64?
    var error: ErrorBody?

    enum CodingKeys: String, CodingKey {
        case id
        case result = "return"
        case error
    }

    init(from decoder: any Decoder) throws {
        // Throws only when the line is not a JSON object: that is garbage, not a reply.
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try? container.decodeIfPresent(JSONValue.self, forKey: .id)
        hasReturn = container.contains(.result)
        returnInteger = try? container.decodeIfPresent(Int64.self, forKey: .result)
        error = try? container.decodeIfPresent(ErrorBody.self, forKey: .error)
    }
}

/// A reply line that matched the call waiting for it.
struct ReceivedReply: Sendable {
    var header: ReplyHeader
    var data: Data
}
