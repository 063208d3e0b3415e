import Foundation
import QGATestSupport

/// A throwaway CA and a server certificate for 127.0.0.1/localhost, made with the real openssl.
enum TestCertificate {
    static func make(in directory: String) async throws {
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=qga test CA",
             "-keyout", "\(directory)/ca.key", "-out", "\(directory)/ca.crt"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
             "-keyout", "\(directory)/server.key", "-out", "\(directory)/server.csr"],
        ]
        for step in steps { try await run(step) }
        let extensions = "\(directory)/san.ext"
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: extensions, atomically: true, encoding: .utf8)
        try await run(["x509", "-req", "-in", "\(directory)/server.csr", "-CA", "\(directory)/ca.crt", "-CAkey", "\(directory)/ca.key",
                 "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", "\(directory)/server.crt"])
    }

    private static func run(_ arguments: [String]) async throws {
        let result = try await Command.run("openssl", arguments)
        guard result.status == 0 else { throw HTTP.HTTPError(message: "openssl \(arguments.first ?? ""): \(result.stderr)") }
    }
}
