#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The libvirt functions we call, resolved at run time with dlopen/dlsym, so the exporter builds
/// and runs on hosts without libvirt. Signatures are declared here from libvirt's public headers
/// (libvirt-host.h, libvirt-domain.h, libvirt-qemu.h, virterror.h); no headers are needed.
/// `virGetLastError*` need libvirt >= 4.5.
struct LibvirtAPI: @unchecked Sendable {  // C function pointers only; immutable after load.
    typealias ConnectOpen = @convention(c) (UnsafePointer<CChar>?) -> OpaquePointer?
    typealias ConnectInt = @convention(c) (OpaquePointer?) -> Int32
    typealias ConnectListAllDomains = @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<OpaquePointer?>?>?, UInt32
    ) -> Int32
    typealias DomainLookup = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> OpaquePointer?
    typealias DomainGetName = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    typealias DomainGetUUIDString = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?) -> Int32
    typealias DomainGetID = @convention(c) (OpaquePointer?) -> UInt32
    typealias DomainInt = @convention(c) (OpaquePointer?) -> Int32
    typealias Initialize = @convention(c) () -> Int32
    typealias ErrorFunc = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void
    typealias SetErrorFunc = @convention(c) (UnsafeMutableRawPointer?, ErrorFunc?) -> Void
    typealias GetLastErrorInt = @convention(c) () -> Int32
    typealias GetLastErrorMessage = @convention(c) () -> UnsafePointer<CChar>?
    typealias QemuAgentCommand = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int32, UInt32) -> UnsafeMutablePointer<CChar>?

    let connectOpen: ConnectOpen
    let connectClose: ConnectInt
    let connectRef: ConnectInt
    let connectIsAlive: ConnectInt
    let connectListAllDomains: ConnectListAllDomains
    let domainLookupByUUIDString: DomainLookup
    let domainLookupByName: DomainLookup
    let domainGetName: DomainGetName
    let domainGetUUIDString: DomainGetUUIDString
    let domainGetID: DomainGetID
    let domainIsActive: DomainInt
    let domainFree: DomainInt
    let getLastErrorCode: GetLastErrorInt
    let getLastErrorDomain: GetLastErrorInt
    let getLastErrorMessage: GetLastErrorMessage
    let qemuAgentCommand: QemuAgentCommand

    /// `virConnectListAllDomains` flag: running and paused domains (those with a QEMU process).
    static let listDomainsActive: UInt32 = 1 << 0
    /// `VIR_UUID_STRING_BUFLEN`.
    static let uuidStringLength = 37

    /// The library libvirt's QEMU-specific calls live in; it pulls in libvirt.so.0.
    static let qemuLibraryName = "libvirt-qemu.so.0"
    static let libraryName = "libvirt.so.0"

    /// Loaded once per process. A missing library is remembered as its error.
    static let shared: Result<LibvirtAPI, LibvirtLoadError> = Result { () throws(LibvirtLoadError) in
        try load(qemuLibrary: qemuLibraryName, library: libraryName)
    }

    static func load(qemuLibrary: String, library: String) throws(LibvirtLoadError) -> LibvirtAPI {
        // libvirt-qemu.so.0 depends on libvirt.so.0, so the first dlopen loads both; the second
        // only returns a handle to search. Neither is ever closed: the functions stay in use.
        guard let qemu = dlopen(qemuLibrary, RTLD_NOW | RTLD_GLOBAL) else {
            throw LibvirtLoadError(library: qemuLibrary, reason: Self.dlerrorText())
        }
        guard let core = dlopen(library, RTLD_NOW | RTLD_GLOBAL) else {
            throw LibvirtLoadError(library: library, reason: Self.dlerrorText())
        }
        func symbol<T>(_ handle: UnsafeMutableRawPointer, _ name: String, in file: String, as type: T.Type)
            throws(LibvirtLoadError) -> T
        {
            guard let pointer = dlsym(handle, name) else {
                throw LibvirtLoadError(library: file, reason: "symbol \(name) not found (libvirt too old?): \(Self.dlerrorText())")
            }
            return unsafeBitCast(pointer, to: type)
        }
        let api = LibvirtAPI(
            connectOpen: try symbol(core, "virConnectOpen", in: library, as: ConnectOpen.self),
            connectClose: try symbol(core, "virConnectClose", in: library, as: ConnectInt.self),
            connectRef: try symbol(core, "virConnectRef", in: library, as: ConnectInt.self),
            connectIsAlive: try symbol(core, "virConnectIsAlive", in: library, as: ConnectInt.self),
            connectListAllDomains: try symbol(core, "virConnectListAllDomains", in: library, as: ConnectListAllDomains.self),
            domainLookupByUUIDString: try symbol(core, "virDomainLookupByUUIDString", in: library, as: DomainLookup.self),
            domainLookupByName: try symbol(core, "virDomainLookupByName", in: library, as: DomainLookup.self),
            domainGetName: try symbol(core, "virDomainGetName", in: library, as: DomainGetName.self),
            domainGetUUIDString: try symbol(core, "virDomainGetUUIDString", in: library, as: DomainGetUUIDString.self),
            domainGetID: try symbol(core, "virDomainGetID", in: library, as: DomainGetID.self),
            domainIsActive: try symbol(core, "virDomainIsActive", in: library, as: DomainInt.self),
            domainFree: try symbol(core, "virDomainFree", in: library, as: DomainInt.self),
            getLastErrorCode: try symbol(core, "virGetLastErrorCode", in: library, as: GetLastErrorInt.self),
            getLastErrorDomain: try symbol(core, "virGetLastErrorDomain", in: library, as: GetLastErrorInt.self),
            getLastErrorMessage: try symbol(core, "virGetLastErrorMessage", in: library, as: GetLastErrorMessage.self),
            qemuAgentCommand: try symbol(qemu, "virDomainQemuAgentCommand", in: qemuLibrary, as: QemuAgentCommand.self)
        )
        // Only virConnectOpen initializes libvirt by itself. Until then its per-thread error slot
        // has no pthread key of its own, and reading or setting an error writes into key 0,
        // which belongs to someone else (libdispatch: its thread-exit cleanup then crashes).
        let initialize = try symbol(core, "virInitialize", in: library, as: Initialize.self)
        guard initialize() == 0 else {
            throw LibvirtLoadError(library: library, reason: "virInitialize failed")
        }
        // libvirt prints every error to stderr unless told otherwise; we report errors ourselves.
        let setErrorFunc = try symbol(core, "virSetErrorFunc", in: library, as: SetErrorFunc.self)
        setErrorFunc(nil, { _, _ in })
        return api
    }

    /// The calling thread's last libvirt error. Read it right after the failing call: the next
    /// libvirt API call on this thread resets it.
    func lastError(operation: String) -> LibvirtCallError {
        let code = getLastErrorCode()
        let domain = getLastErrorDomain()
        let message = getLastErrorMessage().map { String(cString: $0) } ?? "unknown libvirt error"
        return LibvirtCallError(code: code, domain: domain, message: message, operation: operation)
    }

    private static func dlerrorText() -> String {
        dlerror().map { String(cString: $0) } ?? "unknown dlopen error"
    }
}

/// libvirt could not be loaded: not installed, or too old.
struct LibvirtLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    var library: String
    var reason: String

    var description: String {
        "libvirt is not available on this host (\(library): \(reason)); install the libvirt client "
            + "library (Debian/Ubuntu: libvirt0, Fedora/RHEL: libvirt-libs)"
    }
}

/// One failed libvirt call, as libvirt described it (`virErrorNumber` code, `virErrorDomain`).
struct LibvirtCallError: Error, Sendable, Equatable, CustomStringConvertible {
    var code: Int32
    var domain: Int32
    var message: String
    /// The libvirt function that failed.
    var operation: String

    var description: String { "\(operation): \(message) (libvirt error \(code))" }
}
