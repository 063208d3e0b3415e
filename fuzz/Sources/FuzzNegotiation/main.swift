// libFuzzer entry point: `Accept` and `Accept-Encoding` values through the negotiation the
// /metrics handler does. libFuzzer brings its own `main`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNegotiation(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    // The first line is the Accept value, the rest Accept-Encoding; one line serves as both.
    let split = bytes.firstIndex(of: 0x0A)
    let accept = String(decoding: bytes[..<(split ?? count)], as: UTF8.self)
    let acceptEncoding = split.map { String(decoding: bytes[($0 + 1)...], as: UTF8.self) } ?? accept
    NegotiationCheck.format(accept)
    NegotiationCheck.encoding(acceptEncoding)
    return 0
}
