/// Hand-written gzip (RFC 1952) and zlib (RFC 1950) framing, independent of zlib, to check
/// the framings zlib produces and to build inputs in every framing from `gzip`'s output.
enum Framing {
    /// CRC-32 as gzip computes it (reflected polynomial 0xEDB88320).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
            }
        }
        return ~crc
    }

    /// Adler-32 as zlib computes it.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        littleEndian(value).reversed()
    }

    /// Wraps a raw deflate stream of `plain` in a minimal gzip member.
    static func gzip(rawDeflate: [UInt8], plain: [UInt8]) -> [UInt8] {
        let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        return header + rawDeflate + littleEndian(crc32(plain)) + littleEndian(UInt32(truncatingIfNeeded: plain.count))
    }

    /// Wraps a raw deflate stream of `plain` in zlib framing (32 KB window, default level).
    static func zlib(rawDeflate: [UInt8], plain: [UInt8]) -> [UInt8] {
        [0x78, 0x9C] + rawDeflate + bigEndian(adler32(plain))
    }

    /// The raw deflate stream inside a gzip member with a plain 10-byte header (as `gzip -n` writes).
    static func rawDeflate(fromGzip gzip: [UInt8]) -> [UInt8] {
        precondition(gzip[3] == 0, "header with optional fields")
        return Array(gzip[10..<(gzip.count - 8)])
    }

    /// The raw deflate stream inside a zlib stream without a preset dictionary.
    static func rawDeflate(fromZlib zlib: [UInt8]) -> [UInt8] {
        Array(zlib[2..<(zlib.count - 4)])
    }
}
