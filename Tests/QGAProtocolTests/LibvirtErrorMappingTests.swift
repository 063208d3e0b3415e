import Testing

@testable import QGAProtocol

/// libvirt's errors, as a real libvirtd 9.0 (Debian 12) with qemu-ga 7.2 in a TCG guest reported
/// them (code, message), sorted into the client's kinds.
@Suite struct LibvirtErrorMappingTests {
    @Test(arguments: [
        // Guest booting, or its agent not (yet) running.
        (86, "Guest agent is not responding: QEMU guest agent is not connected", AgentError.Kind.timeout),
        // Agent stopped (SIGSTOP) while connected: libvirt's sync timed out.
        (86, "Guest agent is not responding: Guest agent not available for now", .timeout),
        // guest-shutdown: the agent went away before answering.
        (86, "Guest agent is not responding: Guest agent disappeared while executing command", .disconnected),
        (1, "internal error: End of file from agent socket", .disconnected),
        (42, "Domain not found: no domain with matching name 'nosuch'", .socketNotFound),
        (55, "Requested operation is not valid: domain is not running", .connectionRefused),
        (74, "argument unsupported: QEMU guest agent is not configured", .connectFailed),
        (29, "operation forbidden: read only access prevents virDomainQemuAgentCommand", .permissionDenied),
        (88, "access denied: 'qemu' denied access", .permissionDenied),
        (38, "Failed to connect socket to '/tmp/nonexist/sock': No such file or directory", .socketNotFound),
        (38, "Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied", .permissionDenied),
        (38, "Failed to connect socket to '/var/run/libvirt/libvirt-sock': Connection refused", .connectionRefused),
        (39, "End of file while reading data: Input/output error", .disconnected),
        (1, "internal error: unable to execute QEMU agent command 'guest-nope': The command guest-nope has not been found", .unsupported),
        (1, "internal error: unable to execute QEMU agent command 'guest-shutdown': Command guest-shutdown has been disabled", .disabled),
        (1, "internal error: unable to execute QEMU agent command 'guest-get-time': Parameter 'x' is unexpected", .agentError),
        (1, "internal error: unable to execute QEMU agent command 'guest-file-close': handle '1000' has not been found", .agentError),
        (1, "internal error: cannot parse json garbage: lexical error: invalid char in json text.", .invalidArguments),
    ] as [(Int32, String, AgentError.Kind)])
    func mapsToTheClientKinds(code: Int32, message: String, expected: AgentError.Kind) {
        let error = LibvirtErrorMapper.map(
            LibvirtCallError(code: code, domain: 10, message: message, operation: "virDomainQemuAgentCommand"),
            command: "guest-x")
        #expect(error.kind == expected, "\(error)")
        #expect(error.command == "guest-x")
    }

    @Test func agentErrorsKeepTheAgentsWordsAndAnInferredClass() {
        let notFound = LibvirtErrorMapper.map(LibvirtCallError(
            code: 1, domain: 10, operation: "virDomainQemuAgentCommand",
            message: "internal error: unable to execute QEMU agent command 'guest-nope': The command guest-nope has not been found"))
        #expect(notFound.message == "The command guest-nope has not been found")
        #expect(notFound.agentClass == "CommandNotFound")
        #expect(notFound.command == "guest-nope")

        let generic = LibvirtErrorMapper.map(LibvirtCallError(
            code: 1, domain: 10, operation: "virDomainQemuAgentCommand",
            message: "internal error: unable to execute QEMU agent command 'guest-get-time': Parameter 'x' is unexpected"))
        #expect(generic.message == "Parameter 'x' is unexpected")
        #expect(generic.agentClass == "GenericError")
    }

    @Test func readOnlyRefusalSaysWhatToChange() {
        let error = LibvirtErrorMapper.map(LibvirtCallError(
            code: 29, domain: 0, operation: "virDomainQemuAgentCommand",
            message: "operation forbidden: read only access prevents virDomainQemuAgentCommand"))
        #expect(error.message.contains("read-write connection"))
    }

    @Test func unknownCodesKeepTheMessage() {
        let error = LibvirtErrorMapper.map(LibvirtCallError(code: 9999, domain: 0, message: "something new", operation: "x"))
        #expect(error.kind == .agentError)
        #expect(error.message == "something new")
    }
}

extension LibvirtCallError {
    fileprivate init(code: Int32, domain: Int32, operation: String, message: String) {
        self.init(code: code, domain: domain, message: message, operation: operation)
    }
}
