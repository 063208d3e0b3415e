import NIOCore
import QGAMetrics
import Synchronization

/// Hands freed heap memory back to the system after a large body is dropped, rather than let
/// the heap keep its high-water mark.
enum MemoryTrim {
    static func release() {
        #if canImport(Glibc)
        _ = glibcMallocTrim(0)
        #endif
    }
}

#if canImport(Glibc)
/// glibc's malloc_trim(3); its header is not part of the Glibc module.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
