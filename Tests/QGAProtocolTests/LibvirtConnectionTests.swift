import Foundation
import Testing

@testable import QGAProtocol

/// The libvirt plumbing that needs no libvirtd: loading the library, URIs, addresses, timeouts.
/// Against a real libvirtd: Tests/QGAExporterTests/Libvirt.
@Suite struct LibvirtConnectionTests {
    @Test func aMissingLibraryIsAClearError() async {
        let result = await Self.onOwnThread {
            Result { () throws(LibvirtLoadError) in try LibvirtAPI.load(qemuLibrary: "libvirt-qemu-missing.so.0", library: "libvirt.so.0") }
        }
        switch result {
        case .success: Issue.record("a missing library must not load")
        case .failure(let error):
            #expect(error.library == "libvirt-qemu-missing.so.0")
            #expect(error.description.contains("libvirt is not available on this host"))
            #expect(error.description.contains("libvirt0"))
        }
    }

    @Test func theInstalledLibraryLoads() async throws {
        // scripts/install-test-deps installs libvirt-clients, which brings libvirt0.
        let code = await Self.onOwnThread { (try? LibvirtAPI.shared.get())?.getLastErrorCode() }
        #expect(code == 0)
    }

    /// libvirt keeps per-thread state: as in the library itself, touch it only from threads of
    /// our own, never from Swift's cooperative pool.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }

    @Test func aConnectionToANonexistentSocketSaysSo() async {
        let pool = LibvirtConnectionPool(threads: 1)
        let connection = pool.connection(uri: "qemu:///system?socket=/nonexistent/qga-test/libvirt-sock")
        let error = await expectFailure(.socketNotFound) { try await connection.activeDomains() }
        #expect(error?.message.contains("cannot connect to libvirt at qemu:///system?socket=/nonexistent/qga-test/libvirt-sock") == true)
        #expect(error?.message.contains("No such file or directory") == true)

        let client = AgentClient(address: .libvirt(domain: "vm1", uri: connection.uri), libvirt: pool)
        await expectFailure(.socketNotFound) { try await client.call(.ping) }
        try? await pool.shutdown()
    }

    @Test func uriPrecedenceIsConfigThenEnvironmentThenSystem() {
        #expect(LibvirtConnectionPool.resolveURI("qemu+ssh://h/system", environment: ["LIBVIRT_DEFAULT_URI": "qemu:///session"])
            == "qemu+ssh://h/system")
        #expect(LibvirtConnectionPool.resolveURI(nil, environment: ["LIBVIRT_DEFAULT_URI": "qemu:///session"]) == "qemu:///session")
        #expect(LibvirtConnectionPool.resolveURI(nil, environment: [:]) == "qemu:///system")
        #expect(LibvirtConnectionPool.resolveURI("", environment: [:]) == "qemu:///system")
    }

    @Test func onePoolConnectionPerURI() async {
        let pool = LibvirtConnectionPool(threads: 1)
        #expect(pool.connection(uri: "qemu:///system?socket=/a") === pool.connection(uri: "qemu:///system?socket=/a"))
        #expect(pool.connection(uri: "qemu:///system?socket=/a") !== pool.connection(uri: "qemu:///system?socket=/b"))
        try? await pool.shutdown()
    }

    @Test(arguments: [
        (Duration.milliseconds(10), Int32(1)), (.seconds(1), 1), (.milliseconds(1500), 2), (.seconds(5), 5), (.zero, 1),
    ])
    func timeoutsBecomeWholeSeconds(timeout: Duration, seconds: Int32) {
        #expect(LibvirtConnection.libvirtSeconds(timeout) == seconds)
    }

    @Test func uuidsAreToldFromNames() {
        #expect(LibvirtConnection.isUUID("4dea22b3-1d52-d8f3-2516-782e98ab3fa0"))
        #expect(LibvirtConnection.isUUID("4DEA22B3-1D52-D8F3-2516-782E98AB3FA0"))
        #expect(!LibvirtConnection.isUUID("qga-test-vm"))
        #expect(!LibvirtConnection.isUUID("4dea22b3-1d52-d8f3-2516-782e98ab3fa"))
        #expect(!LibvirtConnection.isUUID("4dea22b3x1d52-d8f3-2516-782e98ab3fa0"))
    }

    @Test(arguments: [
        ("libvirt:web1", AgentAddress.libvirt(domain: "web1", uri: nil)),
        ("libvirt:web1@qemu:///system?socket=/run/x/libvirt-sock",
         .libvirt(domain: "web1", uri: "qemu:///system?socket=/run/x/libvirt-sock")),
        ("libvirt:db@qemu+ssh://root@hv2/system", .libvirt(domain: "db", uri: "qemu+ssh://root@hv2/system")),
    ])
    func libvirtAddressesParseAndPrintBack(text: String, expected: AgentAddress) throws {
        let address = try AgentAddress(parsing: text)
        #expect(address == expected)
        #expect(address.description == text)
    }

    @Test(arguments: [("libvirt:", "domain name is empty"), ("libvirt:vm@", "URI after '@' is empty")])
    func badLibvirtAddressesAreRejected(text: String, fragment: String) {
        #expect(throws: AgentAddressError.self) { try AgentAddress(parsing: text) }
        do { _ = try AgentAddress(parsing: text) } catch { #expect(error.description.contains(fragment), "\(error)") }
    }
}
