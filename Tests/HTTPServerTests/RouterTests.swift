import XCTest
@testable import HTTPServer

final class RouterTests: XCTestCase {
    func testMatching() {
        var router = Router<String>()
        router.add("GET", "/v1/partners", "list")
        router.add("POST", "/v1/partners", "create")
        router.add("GET", "/v1/partners/{id}", "show")
        router.add("DELETE", "/v1/partners/{id}", "delete")
        router.add("PUT", "/v1/projects/{id}/partners/{partner_id}", "participate")
        router.add("GET", "/v1/partners/{id}/history", "history")

        let cases: [(method: String, path: String, expect: String)] = [
            ("GET", "/v1/partners", "list"),
            ("POST", "/v1/partners", "create"),
            ("GET", "/v1/partners/p1", "show id=p1"),
            ("HEAD", "/v1/partners/p1", "show id=p1"),
            ("GET", "/v1/partners/a%20b", "show id=a b"),
            ("PUT", "/v1/projects/x/partners/y", "participate id=x partner_id=y"),
            ("GET", "/v1/partners/p1/history", "history id=p1"),
            ("PATCH", "/v1/partners/p1", "405 DELETE,GET,HEAD"),
            ("DELETE", "/v1/partners", "405 GET,HEAD,POST"),
            ("GET", "/v1/partners/", "404"),
            ("GET", "/v1/unknown", "404"),
            ("GET", "/v1/partners/p1/other", "404"),
            ("GET", "/v1", "404"),
            ("GET", "/v1/partners/%zz", "404"),
        ]
        for c in cases {
            let got: String
            switch router.match(method: c.method, path: c.path[...]) {
            case .found(let handler, let parameters, _):
                got = ([handler] + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
            case .methodNotAllowed(let allowed, _): got = "405 " + allowed.joined(separator: ",")
            case .notFound: got = "404"
            }
            XCTAssertEqual(got, c.expect, "\(c.method) \(c.path)")
        }
    }

    func testTemplateIsReported() {
        var router = Router<Int>()
        router.add("GET", "/v1/partners/{id}", 1)
        guard case .found(_, _, let template) = router.match(method: "GET", path: "/v1/partners/42") else { return XCTFail() }
        XCTAssertEqual(template, "/v1/partners/{id}")
    }
}
