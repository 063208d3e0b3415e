/// What this binary is. The package build (packaging/build-deb) rewrites the values below;
/// a plain `swift build` leaves "unknown" for what it cannot know.
enum BuildInfo {
    static let version = "0.1.0"
    static let revision = "unknown"
    static let branch = "unknown"
    static let buildDate = "unknown"
    static let swiftVersion = compilerVersion

    private static var compilerVersion: String {
        #if compiler(>=6.4)
        return "6.4+"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #else
        return "older than 6.2"
        #endif
    }

    static var versionText: String {
        "qga_exporter, version \(version) (branch: \(branch), revision: \(revision))\n"
            + "  build date:       \(buildDate)\n  swift version:    \(swiftVersion)"
    }
}
