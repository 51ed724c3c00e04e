/// A growable byte buffer the encoders write JSON text into.
///
/// It owns raw memory rather than an array, so appends are a capacity check and a store, with no
/// uniqueness check; its owner calls ``deallocate()`` exactly once.
struct JSONOutput {
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// The number of bytes written; writers that store through ``base`` move it themselves.
    var count: Int
    private var capacity: Int

    init(capacity: Int = 512) {
        self.base = .allocate(capacity: capacity)
        self.count = 0
        self.capacity = capacity
    }

    func deallocate() {
        self.base.deallocate()
    }

    /// Calls `body` with the bytes written so far.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: self.base, count: self.count))
    }

    /// Makes room for at least `extra` more bytes.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if self.count + extra > self.capacity {
            self.grow(to: self.count + extra)
        }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = self.capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: self.base, count: self.count)
        self.base.deallocate()
        self.base = newBase
        self.capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        self.reserve(1)
        self.base[self.count] = byte
        self.count += 1
    }

    @inline(__always)
    mutating func append(_ first: UInt8, _ second: UInt8) {
        self.reserve(2)
        self.base[self.count] = first
        self.base[self.count + 1] = second
        self.count += 2
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        self.reserve(bytes.count)
        UnsafeMutableRawPointer(self.base + self.count).copyMemory(from: source, byteCount: bytes.count)
        self.count += bytes.count
    }

    /// Appends text that needs no escaping (numbers, base64, literals).
    mutating func appendRaw(_ string: String) {
        var string = string
        string.withUTF8 { self.append(UnsafeRawBufferPointer($0)) }
    }

    /// Writes bytes at a position already reserved, without moving `count`.
    @inline(__always)
    mutating func store(_ byte: UInt8, at offset: Int) {
        self.base[self.count + offset] = byte
    }

    /// Moves `count` past bytes written with ``store(_:at:)``.
    @inline(__always)
    mutating func advance(by n: Int) {
        self.count += n
    }
}

/// The ASCII bytes the encoders write.
enum JSONByte {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let zero = UInt8(ascii: "0")
    static let minus = UInt8(ascii: "-")
}
