/// Content negotiation over the `Accept-Encoding` request header (RFC 9110, section 12.5.3).
public enum AcceptEncoding {
    /// Chooses the content coding for a response, or `nil` if the client accepts none.
    ///
    /// The rules:
    /// - No `Accept-Encoding` header (`fieldValues` is empty), or an empty one: ``ContentCoding/identity``.
    /// - A coding's weight is its own `q` value, else that of `*`, else 0 (not acceptable).
    ///   `x-gzip` counts as `gzip`. Elements with a malformed `q` are ignored.
    /// - ``ContentCoding/identity`` is acceptable unless excluded by `identity;q=0`, or by `*;q=0`
    ///   without an `identity` entry.
    /// - The highest weight wins; on a tie the earlier coding in `supported` wins, and any
    ///   compression wins over `identity`.
    ///
    /// ```swift
    /// AcceptEncoding.negotiate(["gzip, deflate, br"])            // .gzip
    /// AcceptEncoding.negotiate(["deflate;q=1, gzip;q=0.8"])      // .deflate
    /// AcceptEncoding.negotiate(["gzip;q=0, identity;q=0"])       // nil: send 406 or identity anyway
    /// ```
    ///
    /// - Parameters:
    ///   - fieldValues: The values of every `Accept-Encoding` field line of the request, in order.
    ///   - supported: The compressions the server offers, most preferred first. Defaults to gzip, then deflate.
    /// - Returns: The coding to use, or `nil` if every supported coding and `identity` are excluded.
    public static func negotiate(
        _ fieldValues: [String],
        supported: [ContentCoding] = [.gzip, .deflate]
    ) -> ContentCoding? {
        guard !fieldValues.isEmpty else {
            return .identity
        }
        var weights = Weights()
        for value in fieldValues {
            var value = value
            value.withUTF8 { weights.parse($0) }
        }
        var best: (coding: ContentCoding, weight: Int)?
        for coding in supported where coding != .identity {
            let weight = weights[coding] ?? weights.wildcard ?? 0
            if weight > 0 && weight > (best?.weight ?? 0) {
                best = (coding, weight)
            }
        }
        // identity is acceptable by default, at a weight below any listed coding's.
        let identityWeight = weights.identity ?? weights.wildcard ?? 1
        if let best, best.weight >= identityWeight {
            return best.coding
        }
        return identityWeight > 0 ? .identity : nil
    }

    /// The weights the header gives, in thousandths (`q=0.5` is 500); the first mention of a coding counts.
    private struct Weights {
        var gzip: Int?
        var deflate: Int?
        var identity: Int?
        var wildcard: Int?

        subscript(coding: ContentCoding) -> Int? {
            switch coding {
            case .gzip: self.gzip
            case .deflate: self.deflate
            default: self.identity
            }
        }

        /// Reads a comma-separated list of `coding *( OWS ";" OWS param )`.
        mutating func parse(_ value: UnsafeBufferPointer<UInt8>) {
            var start = value.startIndex
            while start <= value.endIndex {
                let end = value[start...].firstIndex(of: UInt8(ascii: ",")) ?? value.endIndex
                self.parse(element: value[start..<end])
                start = end + 1
            }
        }

        private mutating func parse(element: Slice<UnsafeBufferPointer<UInt8>>) {
            let nameEnd = element.firstIndex(of: UInt8(ascii: ";")) ?? element.endIndex
            let name = ASCII.trimmingWhitespace(element[..<nameEnd])
            guard !name.isEmpty, name.allSatisfy(Self.isTokenCharacter) else {
                return
            }
            var weight = 1000
            var start = nameEnd + 1
            while start <= element.endIndex {
                let end = element[start...].firstIndex(of: UInt8(ascii: ";")) ?? element.endIndex
                let parameter = ASCII.trimmingWhitespace(element[start..<end])
                start = end + 1
                guard ASCII.hasPrefixIgnoringCase(parameter, "q=") else {
                    continue
                }
                guard let parsed = Self.parse(qvalue: parameter.dropFirst(2)) else {
                    return
                }
                weight = parsed
            }
            if ASCII.equalsIgnoringCase(name, "gzip") || ASCII.equalsIgnoringCase(name, "x-gzip") {
                self.gzip = self.gzip ?? weight
            } else if ASCII.equalsIgnoringCase(name, "deflate") {
                self.deflate = self.deflate ?? weight
            } else if ASCII.equalsIgnoringCase(name, "identity") {
                self.identity = self.identity ?? weight
            } else if ASCII.equalsIgnoringCase(name, "*") {
                self.wildcard = self.wildcard ?? weight
            }
        }

        /// Reads `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )` in thousandths.
        private static func parse(qvalue: some Collection<UInt8>) -> Int? {
            guard let first = qvalue.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else {
                return nil
            }
            var thousandths = first == UInt8(ascii: "1") ? 1000 : 0
            let rest = qvalue.dropFirst()
            guard let dot = rest.first else {
                return thousandths
            }
            let fraction = rest.dropFirst()
            guard dot == UInt8(ascii: "."), fraction.count <= 3 else {
                return nil
            }
            var scale = 100
            for digit in fraction {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else {
                    return nil
                }
                thousandths += Int(digit - UInt8(ascii: "0")) * scale
                scale /= 10
            }
            return thousandths <= 1000 ? thousandths : nil
        }

        /// `tchar` of RFC 9110, section 5.6.2.
        private static func isTokenCharacter(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
