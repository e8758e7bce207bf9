/// Maps a method and a path to a handler, with `{name}` path parameters.
///
///     var router = Router<Handler>()
///     router.add("GET", "/v1/partners/{id}", showPartner)
///     router.match(method: "GET", path: "/v1/partners/p1")   // .found(showPartner, ["id": "p1"], template)
///
/// A path that matches no route is `.notFound`; a path that matches routes of
/// other methods only is `.methodNotAllowed` with the methods for `Allow`.
/// `HEAD` is served by the `GET` route.
public struct Router<Handler: Sendable>: Sendable {
    /// The outcome of a lookup.
    public enum Match {
        case found(Handler, parameters: [String: String], template: String)
        case methodNotAllowed(allowed: [String], template: String)
        case notFound
    }

    private final class Node: @unchecked Sendable {
        // Only mutated while routes are added, before the router is shared;
        // read-only afterwards (copy-on-write is not needed for a build-once table).
        var literal: [String: Node] = [:]
        var parameter: (name: String, node: Node)?
        var handlers: [String: Handler] = [:]
        var template = ""
    }

    private let root = Node()

    public init() {}

    /// Adds `handler` for `method` on `pattern` (segments in braces are parameters).
    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        var node = root
        for segment in pattern.split(separator: "/") {
            if segment.hasPrefix("{") && segment.hasSuffix("}") {
                let name = String(segment.dropFirst().dropLast())
                if node.parameter == nil { node.parameter = (name, Node()) }
                precondition(node.parameter!.name == name, "conflicting parameter names at \(pattern)")
                node = node.parameter!.node
            } else {
                let key = String(segment)
                if node.literal[key] == nil { node.literal[key] = Node() }
                node = node.literal[key]!
            }
        }
        precondition(node.handlers[method] == nil, "duplicate route \(method) \(pattern)")
        node.handlers[method] = handler
        node.template = pattern
    }

    public func match(method: String, path: Substring) -> Match {
        var node = root
        var parameters: [String: String] = [:]
        if path != "/" && path.hasSuffix("/") { return .notFound }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if let next = node.literal[String(segment)] {
                node = next
            } else if let (name, next) = node.parameter, !segment.isEmpty, let value = PercentEncoding.decode(segment) {
                parameters[name] = value
                node = next
            } else {
                return .notFound
            }
        }
        guard !node.handlers.isEmpty else { return .notFound }
        if let handler = node.handlers[method] ?? (method == "HEAD" ? node.handlers["GET"] : nil) {
            return .found(handler, parameters: parameters, template: node.template)
        }
        var allowed = Set(node.handlers.keys)
        if allowed.contains("GET") { allowed.insert("HEAD") }
        return .methodNotAllowed(allowed: allowed.sorted(), template: node.template)
    }
}
