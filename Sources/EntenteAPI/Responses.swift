import Foundation
import HTTPServer
import JSON
import Registry

/// The shapes of successful answers (API.md §1). Every JSON body ends with a
/// newline, so `curl` output does not run into the shell prompt.
enum Responses {
    static func json(_ value: JSON, status: Int = 200, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "application/json; charset=utf-8")
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        value.write(to: &bytes)
        bytes.append(UInt8(ascii: "\n"))
        return HTTPResponse(status: status, headers: headers, body: bytes)
    }

    /// A single versioned resource with its `ETag`; 304 when `If-None-Match` names it.
    static func resource(_ object: JSONObject, version: Int, context: RequestContext, status: Int = 200, location: String? = nil) -> HTTPResponse {
        var headers = HTTPHeaders([("ETag", "\"\(version)\"")])
        if let location { headers.add("Location", location) }
        if status == 200, isNotModified(version, context: context) { return HTTPResponse(status: 304, headers: headers) }
        return json(.object(object), status: status, headers: headers)
    }

    /// A GET or HEAD whose `If-None-Match` names the current version.
    private static func isNotModified(_ version: Int, context: RequestContext) -> Bool {
        (context.request.method == "GET" || context.request.method == "HEAD") && context.ifNoneMatches(version: version)
    }

    static func created(_ object: JSONObject, version: Int, location: String, context: RequestContext) -> HTTPResponse {
        resource(object, version: version, context: context, status: 201, location: location)
    }

    /// A stored revision served byte for byte (never re-encoded), then the
    /// newline; its `ETag` is the convention version it records.
    static func stored(_ revision: ServedRevision, context: RequestContext) -> HTTPResponse {
        var headers = HTTPHeaders()
        if let version = revision.version {
            headers.set("ETag", "\"\(version)\"")
            if isNotModified(version, context: context) { return HTTPResponse(status: 304, headers: headers) }
        }
        headers.set("Content-Type", "application/json; charset=utf-8")
        return HTTPResponse(status: 200, headers: headers, body: Array((revision.text + "\n").utf8))
    }

    /// Stored documents as a page of a list, each embedded as stored (revisions).
    static func storedPage(_ texts: [(key: Int64, text: String)], context: RequestContext) throws(APIError) -> HTTPResponse {
        let (page, next) = try slice(texts, key: \.key, context: context)
        let cursor = next.map { "\"\(Cursor.encode($0))\"" } ?? "null"
        let body = "{\"items\":[" + page.map(\.text).joined(separator: ",") + "],\"next_cursor\":" + cursor + "}\n"
        return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json; charset=utf-8")]), body: Array(body.utf8))
    }

    /// A page of a list the registry reads whole (amendments, measurements):
    /// `limit` and `cursor` as for every list, the cursor naming the `key` of
    /// the last item served, so an item inserted earlier in the order later
    /// does not shift the pages.
    static func page<Item>(_ items: [Item], key: (Item) -> Int64, context: RequestContext, _ render: (Item) -> JSONObject) throws(APIError) -> HTTPResponse {
        let (page, next) = try slice(items, key: key, context: context)
        return json(.object(["items": .array(page.map { .object(render($0)) }), "next_cursor": next.map { .string(Cursor.encode($0)) } ?? .null]))
    }

    private static func slice<Item>(_ items: [Item], key: (Item) -> Int64, context: RequestContext) throws(APIError) -> (ArraySlice<Item>, next: Int64?) {
        let request = try context.pageRequest()
        var start = items.startIndex
        if request.after != 0 {
            guard let last = items.firstIndex(where: { key($0) == request.after }) else {
                throw .badRequest("cursor is not one this server gave for this list.", errors: [FieldError(field: "cursor", message: "not a cursor from this list")])
            }
            start = last + 1
        }
        let end = min(items.endIndex, start + request.limit)
        return (items[start..<end], end < items.endIndex ? key(items[end - 1]) : nil)
    }

    static func noContent() -> HTTPResponse {
        HTTPResponse(status: 204)
    }

    /// `{"items": [...], "next_cursor": ...}`, or CSV with `csvColumns` when the client asks for it.
    static func list<Item>(_ page: Page<Item>, context: RequestContext, csvColumns: [String]? = nil, _ render: (Item) -> JSONObject) -> HTTPResponse {
        let items = page.items.map(render)
        if let csvColumns, context.wantsCSV {
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/csv; charset=utf-8")]), body: Array(CSV.render(items, columns: csvColumns).utf8))
        }
        return json(.object(["items": .array(items.map(JSON.object)), "next_cursor": page.nextCursor.map(JSON.string) ?? .null]))
    }
}

/// RFC 4180 CSV of list items: a header of the item's scalar fields in JSON
/// order (each list names them, so an empty list still has its header),
/// arrays of scalars joined with `;`; nested objects and arrays of objects are left out.
enum CSV {
    static func render(_ items: [JSONObject], columns: [String]) -> String {
        var out = columns.map(quote).joined(separator: ",") + "\r\n"
        for item in items {
            out += columns.map { quote(cell(item[$0])) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    private static func cell(_ value: JSON?) -> String {
        switch value {
        case nil, .null?: ""
        case .string(let s)?: s
        case .bool(let b)?: b ? "true" : "false"
        case .array(let items)?: items.map { cell($0) }.joined(separator: ";")
        case let other?: other.serialized()
        }
    }

    private static func quote(_ text: String) -> String {
        // Scalars, not Characters: "\r\n" is one Character equal to neither "\r" nor "\n".
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
