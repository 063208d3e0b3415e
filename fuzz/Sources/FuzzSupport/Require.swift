/// Fails the fuzz run when an invariant does not hold. Unlike `precondition`, `fatalError`
/// prints its message in optimized builds too, so the libFuzzer log says what broke.
public func require(_ condition: Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError("invariant broken: \(message())", file: file, line: line) }
}
