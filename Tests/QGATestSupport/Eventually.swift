/// Whether `condition` holds within `limit`, asked every 50 ms: for states a test waits on (a
/// connection accepted, a socket gone, a guest up), never for timing.
public func eventually(within limit: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}
