/// A JSON list response like the Jaan Connect API's (member profiles), of about `size` bytes,
/// varied by a fixed pseudo-random sequence so that it compresses like real data, not like a repeat.
enum Payload {
    static func json(size: Int) -> [UInt8] {
        let firstNames = ["Amara", "Bilal", "Chen", "Dalia", "Emeka", "Farah", "Goran", "Hina", "Ivan", "Jaan", "Kofi", "Leila"]
        let lastNames = ["Okafor", "Haddad", "Lindqvist", "Tanaka", "Moreau", "Rahman", "Novak", "Silva", "Kowalski", "Osei"]
        let cities = ["Tallinn", "Lagos", "Karachi", "Lyon", "Osaka", "Bogotá", "Accra", "Gdańsk", "Porto", "Nairobi"]
        let interests = ["hiking", "chess", "jazz", "photography", "cooking", "football", "poetry", "robotics", "gardening"]
        var random = SplitMix64(seed: 2026)
        var text = #"{"data":["#
        var id = 1000
        while text.utf8.count < size - 64 {
            if id > 1000 { text += "," }
            let first = firstNames[random.next(below: firstNames.count)]
            let last = lastNames[random.next(below: lastNames.count)]
            let picked = (0..<(1 + random.next(below: 3))).map { _ in #""\#(interests[random.next(below: interests.count)])""# }
            text +=
                #"{"id":\#(id),"name":"\#(first) \#(last)","email":"\#(first.lowercased()).\#(last.lowercased())\#(random.next(below: 100))@example.org","#
            text += #""city":"\#(cities[random.next(below: cities.count)])","connections":\#(random.next(below: 900)),"#
            text +=
                #""joined":"2025-\#(1 + random.next(below: 12))-\#(1 + random.next(below: 28))T\#(random.next(below: 24)):\#(random.next(below: 60)):00Z","#
            text += #""verified":\#(random.next(below: 2) == 0),"interests":[\#(picked.joined(separator: ","))]}"#
            id += 1
        }
        text += #"],"page":1,"total":\#(id - 1000)}"#
        return Array(text.utf8)
    }
}

/// A small deterministic pseudo-random generator.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    mutating func next(below bound: Int) -> Int {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}
