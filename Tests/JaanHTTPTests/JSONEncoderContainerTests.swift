import Foundation
import JaanHTTP
import Testing

@Suite struct JSONEncoderContainerTests {
    struct Nested: Encodable {
        enum Keys: CodingKey { case a, inner, list, after }
        enum InnerKeys: CodingKey { case x, deeper }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .a)
            var inner = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
            try inner.encode("x", forKey: .x)
            var deeper = inner.nestedUnkeyedContainer(forKey: .deeper)
            try deeper.encode(true)
            var deepest = deeper.nestedContainer(keyedBy: InnerKeys.self)
            try deepest.encodeNil(forKey: .x)
            try deeper.encode(2.5)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode([1, 2])
            var sublist = list.nestedUnkeyedContainer()
            try sublist.encode(UInt8(3))
            try container.encode("done", forKey: .after)
        }
    }

    @Test func nestedContainersInOrderMatchFoundation() throws {
        #expect(try jaanJSON(Nested()) == #"{"a":1,"inner":{"x":"x","deeper":[true,{"x":null},2.5]},"list":[[1,2],[3]],"after":"done"}"#)
        #expect(try parsed(jaanJSON(Nested())) == parsed(foundationJSON(Nested())))
    }

    struct Interleaved: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(1)
            var nested = container.nestedUnkeyedContainer()
            try container.encode(2)
            try nested.encode(3)
        }
    }

    @Test func containersWrittenOutOfOrderMatchFoundation() throws {
        #expect(try jaanJSON(Interleaved()) == "[1,[3],2]")
        #expect(try jaanJSON(Interleaved()) == foundationJSON(Interleaved()))
    }

    class Base: Encodable {
        var a = 1
        enum Keys: CodingKey { case a }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(self.a, forKey: .a)
        }
    }

    final class SharedContainer: Base {
        var b = 2
        enum MoreKeys: CodingKey { case b }
        override func encode(to encoder: any Encoder) throws {
            try super.encode(to: encoder)
            var container = encoder.container(keyedBy: MoreKeys.self)
            try container.encode(self.b, forKey: .b)
        }
    }

    final class WithSuperEncoder: Base {
        var c = 3
        enum MoreKeys: CodingKey { case c }
        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: MoreKeys.self)
            try container.encode(self.c, forKey: .c)
            try super.encode(to: container.superEncoder())
        }
    }

    @Test func subclassesSharingTheEncoderMatchFoundation() throws {
        #expect(try jaanJSON(SharedContainer()) == #"{"a":1,"b":2}"#)
        #expect(try parsed(jaanJSON(SharedContainer())) == parsed(foundationJSON(SharedContainer())))
    }

    @Test func superEncodersMatchFoundation() throws {
        #expect(try jaanJSON(WithSuperEncoder()) == #"{"c":3,"super":{"a":1}}"#)
        #expect(try parsed(jaanJSON([WithSuperEncoder()])) == parsed(foundationJSON([WithSuperEncoder()])))
    }

    struct UnusedSuperEncoders: Encodable {
        enum Keys: CodingKey { case x, y }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            _ = container.superEncoder()
            _ = container.superEncoder(forKey: .x)
            var list = container.nestedUnkeyedContainer(forKey: .y)
            _ = list.superEncoder()
        }
    }

    @Test func unusedSuperEncodersBecomeEmptyObjects() throws {
        #expect(try parsed(jaanJSON(UnusedSuperEncoders())) == parsed(foundationJSON(UnusedSuperEncoders())))
    }

    enum Shape: Encodable {
        case circle(radius: Double)
        case square(side: Int)
        case none
    }

    @Test func enumsWithAssociatedValuesMatchFoundation() throws {
        let shapes: [Shape] = [.circle(radius: 1.5), .square(side: 2), .none]
        #expect(try parsed(jaanJSON(shapes)) == parsed(foundationJSON(shapes)))
    }

    struct Empty: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test func valuesThatEncodeNothingBecomeEmptyObjects() throws {
        #expect(try jaanJSON([Empty()]) == "[{}]")
        #expect(try jaanJSON(["k": Empty()]) == #"{"k":{}}"#)
    }

    @Test func topLevelValueThatEncodesNothingThrows() throws {
        #expect(throws: EncodingError.self) { try jaanJSON(Empty()) }
    }

    struct TwoSingleValues: Encodable {
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(1)
            try container.encode(2)
        }
    }

    struct KeyedThenUnkeyed: Encodable {
        enum Keys: CodingKey { case a }
        func encode(to encoder: any Encoder) throws {
            var keyed = encoder.container(keyedBy: Keys.self)
            try keyed.encode(1, forKey: .a)
            var unkeyed = encoder.unkeyedContainer()
            try unkeyed.encode(2)
        }
    }

    @Test func misusedContainersThrowInsteadOfWritingBadJSON() throws {
        #expect(throws: EncodingError.self) { try jaanJSON(TwoSingleValues()) }
        #expect(throws: EncodingError.self) { try jaanJSON([KeyedThenUnkeyed()]) }
    }

    struct DuplicateKeys: Encodable {
        enum Keys: CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(1, forKey: .a)
            try container.encode(2, forKey: .b)
            try container.encode(3, forKey: .a)
        }
    }

    @Test func duplicateKeysKeepTheLastValueWhenParsed() throws {
        #expect(try parsed(jaanJSON(DuplicateKeys())) == parsed(foundationJSON(DuplicateKeys())))
    }

    final class Node: Encodable {
        let name: String
        let children: [Node]
        init(name: String, children: [Node]) {
            self.name = name
            self.children = children
        }
    }

    @Test func deepRecursiveStructuresMatchFoundation() throws {
        var node = Node(name: "leaf", children: [])
        for depth in 0..<200 {
            node = Node(name: "n\(depth)", children: [node, Node(name: "x", children: [])])
        }
        // Byte comparison with sorted keys: comparing parsed trees this deep is slow on Linux.
        var configuration = JSONResponseEncoder.Configuration()
        configuration.sortsKeys = true
        #expect(try jaanJSON(node, configuration: configuration) == foundationJSON(node, sorted: true))
        #expect(try jaanJSON(node).hasPrefix(#"{"name":"n199","children":[{"name":"n198","#))
        #expect(try jaanJSON(node).hasSuffix(#"[]}]},{"name":"x","children":[]}]}"#))
        var small = Node(name: "leaf", children: [])
        for depth in 0..<20 {
            small = Node(name: "n\(depth)", children: [small, Node(name: "x", children: [])])
        }
        #expect(try parsed(jaanJSON(small)) == parsed(foundationJSON(small)))
    }
}
