// libFuzzer entry point: config files through the exporter's own YAML config parser.
// libFuzzer brings its own `main`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    ConfigCheck.run(String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self))
    return 0
}
