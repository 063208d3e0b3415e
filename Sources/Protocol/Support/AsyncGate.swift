/// A first-in first-out async mutex: callers `enter()` in turn and the holder `leave()`s.
/// The agent serves one request at a time, so every call on a client passes through one gate.
final class AsyncGate: Sendable {
    private struct Waiter {
        let ticket: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var busy = false
        var nextTicket: UInt64 = 0
        var waiters: [Waiter] = []
    }

    private let state = LockedBox(State())

    /// Waits for our turn. Throws `CancellationError` if the task is cancelled while queued.
    func enter() async throws(CancellationError) {
        let ticket = state.withLock { state in
            state.nextTicket += 1
            return state.nextTicket
        }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    // Deciding and queueing under one lock, so a concurrent leave() can never miss us.
                    state.withLock { state in
                        if !state.busy {
                            state.busy = true
                            continuation.resume()
                        } else if Task.isCancelled {
                            continuation.resume(throwing: CancellationError())
                        } else {
                            state.waiters.append(Waiter(ticket: ticket, continuation: continuation))
                        }
                    }
                }
            } onCancel: {
                let cancelled: Waiter? = state.withLock { state in
                    guard let index = state.waiters.firstIndex(where: { $0.ticket == ticket }) else { return nil }
                    return state.waiters.remove(at: index)
                }
                cancelled?.continuation.resume(throwing: CancellationError())
            }
        } catch {
            throw CancellationError()
        }
    }

    /// Hands the gate to the next waiter in line, or opens it.
    func leave() {
        let next: Waiter? = state.withLock { state in
            precondition(state.busy, "AsyncGate.leave() without enter()")
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.continuation.resume()
    }
}
