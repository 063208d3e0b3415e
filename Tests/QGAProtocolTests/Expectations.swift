import Testing

@testable import QGAProtocol

/// Expects `body` to fail with an `AgentError` of `kind`; returns the error for further checks.
@discardableResult
func expectFailure<T>(
    _ kind: AgentError.Kind,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async -> AgentError? {
    do {
        let value = try await body()
        Issue.record("expected \(kind), got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as AgentError {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected an AgentError of kind \(kind), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Runs `body` and returns its error kind, or nil when it succeeded.
func failureKind<T>(_ body: () async throws -> T) async -> AgentError.Kind? {
    do {
        _ = try await body()
        return nil
    } catch {
        return (error as? AgentError)?.kind ?? .connectFailed
    }
}
