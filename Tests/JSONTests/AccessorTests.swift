import JSON
import Testing

@Suite("Accessors and literals")
struct AccessorTests {
    @Test func literalsBuildTheMatchingCases() {
        let value: JSON = ["name": "x", "n": 3, "f": 1.5, "b": true, "z": nil, "a": [1, "two"]]
        let expected = JSON.object(JSONObject([
            ("name", .string("x")), ("n", .int(3)), ("f", .double(1.5)), ("b", .bool(true)),
            ("z", .null), ("a", .array([.int(1), .string("two")])),
        ]))
        #expect(value == expected)
        #expect(value.objectValue?.keys == ["name", "n", "f", "b", "z", "a"])
    }

    @Test func typedAccessorsMatchOnlyTheirCase() {
        let values: [JSON] = [nil, true, 7, 2.5, "s", [1], ["k": 1]]
        #expect(values.map(\.isNull) == [true, false, false, false, false, false, false])
        #expect(values.map(\.boolValue) == [nil, true, nil, nil, nil, nil, nil])
        #expect(values.map(\.intValue) == [nil, nil, 7, nil, nil, nil, nil])
        #expect(values.map(\.doubleValue) == [nil, nil, 7.0, 2.5, nil, nil, nil])
        #expect(values.map(\.stringValue) == [nil, nil, nil, nil, "s", nil, nil])
        #expect(values.map(\.arrayValue) == [nil, nil, nil, nil, nil, [1], nil])
        #expect(values.map(\.objectValue) == [nil, nil, nil, nil, nil, nil, ["k": 1]])
    }

    /// `JSON` is `ExpressibleByNilLiteral`: a careless `nil` there is `.null`, not absent.
    @Test func nonNullIsAbsentOnlyForNull() {
        let values: [JSON] = [nil, true, 7, 2.5, "s", [1], ["k": 1]]
        #expect(values.map { $0.nonNull == Optional<JSON>.none } == [true, false, false, false, false, false, false])
        #expect(values.dropFirst().map(\.nonNull) == values.dropFirst().map(Optional.some))
    }

    @Test func integralDoubleIsNotAnInt() {
        #expect(JSON.double(3).intValue == nil)
    }

    @Test func keySubscript() {
        let value: JSON = ["a": ["b": 1], "n": nil]
        #expect(value["a"]?["b"] == 1)
        #expect(value["n"] == .null)
        #expect(value["missing"] == nil)
        #expect(JSON.array([1])["a"] == nil)
        #expect(JSON.string("a")["a"] == nil)
    }
}
