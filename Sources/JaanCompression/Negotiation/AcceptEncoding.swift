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
        let weights = Weights(parsing: fieldValues)
        var best: (coding: ContentCoding, weight: Int)?
        for coding in supported where coding != .identity {
            let weight = weights.explicit[coding.description] ?? weights.wildcard ?? 0
            if weight > 0 && weight > (best?.weight ?? 0) {
                best = (coding, weight)
            }
        }
        // identity is acceptable by default, at a weight below any listed coding's.
        let identityWeight = weights.explicit["identity"] ?? weights.wildcard ?? 1
        if let best, best.weight >= identityWeight {
            return best.coding
        }
        return identityWeight > 0 ? .identity : nil
    }

    /// The weights the header gives, in thousandths (`q=0.5` is 500).
    private struct Weights {
        var explicit: [String: Int] = [:]
        var wildcard: Int?

        init(parsing fieldValues: [String]) {
            for value in fieldValues {
                for element in value.split(separator: ",") {
                    guard let (name, weight) = Self.parse(element: element) else {
                        continue
                    }
                    if name == "*" {
                        self.wildcard = self.wildcard ?? weight
                    } else {
                        // The first mention of a coding counts.
                        let canonical = ContentCoding(name)?.description ?? name
                        if self.explicit[canonical] == nil {
                            self.explicit[canonical] = weight
                        }
                    }
                }
            }
        }

        /// Reads `coding *( OWS ";" OWS param )`, returning the lowercased coding and its weight
        /// (1000 without `q`), or `nil` if the element is empty or malformed.
        private static func parse(element: Substring) -> (String, Int)? {
            var parts = element.split(separator: ";", omittingEmptySubsequences: false).makeIterator()
            guard let rawName = parts.next() else {
                return nil
            }
            let name = rawName.trimmingHTTPWhitespace().lowercased()
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenCharacter) else {
                return nil
            }
            var weight = 1000
            while let parameter = parts.next() {
                let parameter = parameter.trimmingHTTPWhitespace()
                guard parameter.count >= 2, parameter.first == "q" || parameter.first == "Q",
                    parameter.dropFirst().first == "="
                else {
                    continue
                }
                guard let parsed = Self.parse(qvalue: parameter.dropFirst(2)) else {
                    return nil
                }
                weight = parsed
            }
            return (name, weight)
        }

        /// Reads `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )` in thousandths.
        private static func parse(qvalue: Substring) -> Int? {
            let bytes = Array(qvalue.utf8)
            guard let first = bytes.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1") else {
                return nil
            }
            var thousandths = first == UInt8(ascii: "1") ? 1000 : 0
            guard bytes.count > 1 else {
                return thousandths
            }
            let fraction = bytes.dropFirst(2)
            guard bytes[1] == UInt8(ascii: "."), fraction.count <= 3 else {
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
