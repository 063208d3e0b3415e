#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Wall-clock time as Unix seconds. FoundationEssentials' `Date` reads the clock directly,
/// without the rest of Foundation on the hot path.
enum UnixTime {
    static func now() -> Double {
        Date().timeIntervalSince1970
    }
}
