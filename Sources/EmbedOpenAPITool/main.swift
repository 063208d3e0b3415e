// The entry point, written to compile both ways SwiftPM builds it. Normally this file is
// top-level code and `ran` is set, so the tool runs, at start. The fuzz package's builds
// (`--sanitize=fuzzer`) also build the tools of the plugins in the graph, compiling executables
// with `-parse-as-library` (no top-level statements; `ran` becomes a lazy global nobody reads) and
// linking libFuzzer, whose own `main` wants the entry below. That binary is never run: nothing the
// fuzz package builds uses the plugin.
let ran: Void = EmbedOpenAPITool.main()

@_cdecl("LLVMFuzzerTestOneInput")
public func unusedFuzzerEntry(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt { 0 }
