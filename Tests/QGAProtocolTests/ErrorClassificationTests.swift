import Testing

@testable import QGAProtocol

@Suite struct ErrorClassificationTests {
    @Test(arguments: [
        // qemu-ga 7.2 (observed)
        ("CommandNotFound", "The command guest-network-get-route has not been found", AgentError.Kind.unsupported),
        ("CommandNotFound", "Command guest-fstrim has been disabled", .disabled),
        // newer agents (DESIGN.md 3.6)
        ("CommandNotFound", "Command guest-exec has been disabled: the command is not allowed", .disabled),
        ("CommandNotFound", "Command guest-get-fsinfo has been disabled: the agent is in frozen state", .frozen),
        // older agents
        ("GenericError", "The command guest-exec has been disabled for this instance", .disabled),
        ("GenericError", "this feature or command is not currently supported", .unsupported),
        ("Unsupported", "suspend to disk is not supported", .unsupported),
        // everything else keeps the agent's words
        ("GenericError", "failed to open file '/nonexist' (mode: 'r'): No such file or directory", .agentError),
        ("GenericError", "Parameter 'x' is unexpected", .agentError),
        ("GenericError", "handle '1000' has not been found", .agentError),
    ])
    func classifies(errorClass: String, desc: String, expected: AgentError.Kind) {
        let error = AgentError.fromAgent(errorClass: errorClass, description: desc, command: "guest-x")
        #expect(error.kind == expected)
        #expect(error.message == desc)
        #expect(error.agentClass == errorClass)
        #expect(error.command == "guest-x")
        #expect(error.description.contains(desc))
    }

    @Test func kindRawValuesAreStableLabels() {
        #expect(AgentError.Kind.allCases.map(\.rawValue) == [
            "socketNotFound", "connectionRefused", "permissionDenied", "connectTimeout", "connectFailed",
            "timeout", "disconnected", "unsupported", "disabled", "frozen", "agentError", "protocolViolation",
            "replyTooLarge", "decodingFailed", "invalidArguments", "closed",
        ])
    }
}
