/// A valid gzip stream of uncompressed ("stored") deflate blocks, with no zlib involved.
/// `Gzip.body(of:)` falls back to it if zlib fails (it can only fail to allocate), so a
/// response labelled gzip is always a gzip body.
enum StoredGzip {
    static func wrap(_ bytes: [UInt8]) -> [UInt8] {
        let blockLimit = 65_535
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / blockLimit * 5 + 32)
        // Header: magic, deflate, no flags, no mtime, no extra flags, OS unknown (RFC 1952).
        output.append(contentsOf: [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
        var start = 0
        repeat {
            let end = min(start + blockLimit, bytes.count)
            let length = UInt16(end - start)
            output.append(end == bytes.count ? 0x01 : 0x00)  // BFINAL on the last, BTYPE 00
            appendLittleEndian(UInt32(length), bytes: 2, to: &output)
            appendLittleEndian(UInt32(~length), bytes: 2, to: &output)
            output.append(contentsOf: bytes[start..<end])
            start = end
        } while start < bytes.count
        appendLittleEndian(CRC32.checksum(bytes), bytes: 4, to: &output)
        appendLittleEndian(UInt32(truncatingIfNeeded: bytes.count), bytes: 4, to: &output)
        return output
    }

    private static func appendLittleEndian(_ value: UInt32, bytes count: Int, to output: inout [UInt8]) {
        for shift in 0..<count { output.append(UInt8(truncatingIfNeeded: value >> (8 * shift))) }
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) as gzip's trailer needs it.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        return crc
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }
}
