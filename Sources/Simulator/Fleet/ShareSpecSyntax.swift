import Foundation

/// What `--faults` and `--mix` share: comma-separated `KEY=VALUE` entries, a share of the fleet
/// written `N%`, and a guest named `guest-0007` or `7`.
enum ShareSpecSyntax {
    /// The shares of `Name`s the `NAME=N%` entries give; each `GUEST=VALUE` entry goes to `guest`
    /// with the guest's index. `kind` ("fault") and `nameKind` ("a fault mode") word the errors.
    static func parse<Name: RawRepresentable<String> & CaseIterable & Hashable>(
        _ text: String, kind: String, nameKind: String, shareExample: String,
        guest: (_ index: Int, _ value: String) throws(ShareSpecError) -> Void
    ) throws(ShareSpecError) -> [Name: Double] {
        var shares: [Name: Double] = [:]
        for (entry, key, value) in entries(text) {
            guard let value else { throw ShareSpecError(description: "\(kind) entry '\(entry)' lacks '='") }
            if let name = Name(rawValue: key) {
                guard let share = share(value) else {
                    throw ShareSpecError(description: "\(kind) share '\(value)' for \(key) is not a percentage like \(shareExample)")
                }
                shares[name] = share
            } else if let index = guestIndex(key) {
                try guest(index, value)
            } else {
                throw ShareSpecError(description: "'\(key)' is neither \(nameKind) (\(known(Name.self))) nor a guest")
            }
        }
        return shares
    }

    /// The names of every `Name`, for errors.
    static func known<Name: RawRepresentable<String> & CaseIterable>(_: Name.Type) -> String {
        Name.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// The non-empty entries, split at their first `=`; nil value when an entry has none.
    static func entries(_ text: String) -> [(entry: String, key: String, value: String?)] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { entry in
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            return (entry, parts[0], parts.count == 2 ? parts[1] : nil)
        }
    }

    /// `30%` as 0.3; nil unless a percentage from 0 to 100.
    static func share(_ value: String) -> Double? {
        guard value.hasSuffix("%"), let percent = Double(value.dropLast()), (0...100).contains(percent) else { return nil }
        return percent / 100
    }

    /// `guest-0007` or `7` as 7.
    static func guestIndex(_ key: String) -> Int? {
        let digits = key.hasPrefix("guest-") ? String(key.dropFirst("guest-".count)) : key
        guard let index = Int(digits), index > 0 else { return nil }
        return index
    }
}

/// Why a `--faults` or `--mix` text does not parse.
public struct ShareSpecError: Error, CustomStringConvertible, Equatable {
    public var description: String
}
