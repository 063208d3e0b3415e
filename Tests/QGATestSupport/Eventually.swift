/// Whether `condition` holds within about 10 s, asked every 50 ms: for states a test waits on
/// (a connection accepted, a socket gone), never for timing.
public func eventually(_ condition: () async -> Bool) async -> Bool {
    for _ in 0..<200 {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}
