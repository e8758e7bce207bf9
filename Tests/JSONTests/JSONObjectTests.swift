import JSON
import Testing

@Suite("JSONObject")
struct JSONObjectTests {
    /// Sizes on both sides of the linear-scan/index threshold.
    static let sizes = [0, 1, 5, 8, 9, 30]

    static func numbered(_ count: Int) -> JSONObject {
        JSONObject((0..<count).map { ("k\($0)", .int(Int64($0))) })
    }

    @Test(arguments: sizes)
    func lookupAndOrder(_ size: Int) {
        let object = Self.numbered(size)
        #expect(object.count == size)
        #expect(object.isEmpty == (size == 0))
        #expect(object.keys == (0..<size).map { "k\($0)" })
        #expect(object.map(\.key) == object.keys)
        #expect(object.map(\.value) == (0..<size).map { JSON.int(Int64($0)) })
        for index in 0..<size {
            #expect(object["k\(index)"] == .int(Int64(index)))
        }
        #expect(object["missing"] == nil)
    }

    @Test(arguments: sizes.filter { $0 >= 2 })
    func settingExistingKeyKeepsPosition(_ size: Int) {
        var object = Self.numbered(size)
        object["k1"] = "replaced"
        #expect(object.keys == (0..<size).map { "k\($0)" })
        #expect(object["k1"] == "replaced")
        #expect(object.count == size)
    }

    @Test(arguments: sizes)
    func settingNewKeyAppends(_ size: Int) {
        var object = Self.numbered(size)
        object["new"] = true
        #expect(object.keys.last == "new")
        #expect(object["new"] == true)
        #expect(object.count == size + 1)
        for index in 0..<size {
            #expect(object["k\(index)"] == .int(Int64(index)))
        }
    }

    @Test(arguments: sizes.filter { $0 >= 3 })
    func removingClosesTheGap(_ size: Int) {
        var object = Self.numbered(size)
        #expect(object.removeValue(forKey: "k1") == .int(1))
        #expect(object.removeValue(forKey: "k1") == nil)
        object["k2"] = nil
        object["absent"] = nil
        let expectedKeys = (0..<size).filter { $0 != 1 && $0 != 2 }.map { "k\($0)" }
        #expect(object.keys == expectedKeys)
        for key in expectedKeys {
            #expect(object[key] != nil)
        }
        #expect(object["k1"] == nil)
        #expect(object["k2"] == nil)
        object["k1"] = 1
        #expect(object.keys.last == "k1")
    }

    @Test func repeatedKeysInInitializerKeepFirstPositionAndLastValue() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == 3)
    }

    @Test func equalityAndHashingIgnoreOrder() {
        let forward: JSONObject = ["a": 1, "b": [2], "c": ["d": nil]]
        let backward: JSONObject = ["c": ["d": nil], "b": [2], "a": 1]
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
        #expect(Set<JSON>([.object(forward), .object(backward)]).count == 1)
        #expect(forward != ["a": 1, "b": [2]])
        #expect(forward != ["a": 1, "b": [2], "c": ["d": 0]])
        #expect(forward != ["a": 1, "b": [2], "x": ["d": nil]])
    }

    @Test func largeObjectsCompareRegardlessOfOrder() {
        let forward = Self.numbered(30)
        let backward = JSONObject((0..<30).reversed().map { ("k\($0)", .int(Int64($0))) })
        #expect(forward == backward)
        #expect(forward.hashValue == backward.hashValue)
    }
}
