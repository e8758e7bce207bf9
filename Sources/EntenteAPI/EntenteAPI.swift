import HTTPServer
import Logging
import JSON
import Registry

/// The Entente HTTP API (API.md): authentication, the access policy, routing,
/// and the mapping between HTTP and the registry.
public final class EntenteAPI: HTTPResponder {
    let registry: Registry
    let authenticator: Authenticator
    let openAPIDocument: [UInt8]
    /// Counters for `/metrics`; also the server's observer.
    public let metrics: Metrics
    /// Where unexpected failures are logged (with the request id, never the request).
    let log: JSONLineLog
    private let routes: RouteTable
    private let governance = GovernanceLane()

    /// `openAPIDocument` is served at `/openapi.yaml`.
    public init(registry: Registry, openAPIDocument: [UInt8] = [], metrics: Metrics = Metrics(), log: JSONLineLog = JSONLineLog()) {
        self.registry = registry
        self.authenticator = Authenticator(registry: registry)
        self.openAPIDocument = openAPIDocument
        self.metrics = metrics
        self.log = log
        var table = RouteTable()
        Self.addOperationsRoutes(to: &table)
        Self.addKeyRoutes(to: &table)
        Self.addPartnerRoutes(to: &table)
        Self.addPeopleRoutes(to: &table)
        Self.addProjectRoutes(to: &table)
        Self.addConventionRoutes(to: &table)
        Self.addObligationRoutes(to: &table)
        Self.addMeetingRoutes(to: &table)
        Self.addGovernanceRoutes(to: &table)
        Self.addIndicatorRoutes(to: &table)
        Self.addAuditRoutes(to: &table)
        Self.addWebhookRoutes(to: &table)
        routes = table
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        respond(to: request, matched: routes.router.match(method: request.method, path: request.path))
    }

    private func respond(to request: HTTPRequest, matched match: Router<Endpoint>.Match) -> HTTPResponse {
        if case .found = match {} else if request.path.hasPrefix("/v1/") {
            // Under /v1 a caller without a valid token learns nothing, not even which paths exist.
            do { _ = try authenticator.authenticate(request) } catch { return error.response }
        }
        switch match {
        case .notFound:
            return APIError.notFound("No resource at \(request.path).").response
        case .methodNotAllowed(let allowed, let template):
            var response = APIError(status: 405, code: "method_not_allowed", detail: "\(request.method) is not allowed here.",
                                    headers: HTTPHeaders([("Allow", allowed.joined(separator: ", "))])).response
            response.route = template
            return response
        case .found(let endpoint, let parameters, let template):
            var response = serve(request, endpoint: endpoint, parameters: parameters)
            response.route = template
            return response
        }
    }

    /// Routes of the event-loop lane (`/healthz`, `/openapi.yaml`) are answered at once.
    public func respondOnEventLoop(to request: HTTPRequest) -> HTTPResponse? {
        guard request.method == "GET" || request.method == "HEAD", let endpoint = routes.eventLoopRoutes[request.path] else { return nil }
        var response = serve(request, endpoint: endpoint, parameters: [:])
        response.route = String(request.path)  // the template: these routes have no parameters
        return response
    }

    /// Governance-lane endpoints are authenticated here, then run in the governance
    /// lane, which answers through `completion`; every other request is
    /// answered on the calling worker.
    public func respond(to request: HTTPRequest, completion: @escaping @Sendable (HTTPResponse) -> Void) {
        let match = routes.router.match(method: request.method, path: request.path)
        guard case .found(let endpoint, let parameters, let template) = match, endpoint.lane == .governance
        else { return completion(respond(to: request, matched: match)) }
        let caller: Principal
        do {
            caller = try authenticator.authenticate(request)
        } catch {
            var response = error.response
            response.route = template
            return completion(response)
        }
        governance.run(for: caller, { [self] in
            // Still queued when its client left: nobody would read the answer.
            var response = request.client.isGone
                ? APIError(RegistryError.abandoned).response
                : serve(request, endpoint: endpoint, parameters: parameters, authenticated: caller)
            response.route = template
            return response
        }, completion: { response in
            var response = response
            response.route = template
            completion(response)
        })
    }

    private func serve(_ request: HTTPRequest, endpoint: Endpoint, parameters: [String: String], authenticated: Principal? = nil) -> HTTPResponse {
        do {
            var principal: Principal?
            if endpoint.access != .open {
                let caller = try authenticated ?? authenticator.authenticate(request)
                try authorize(caller, endpoint: endpoint, parameters: parameters)
                principal = caller
            }
            let context = RequestContext(request: request, parameters: parameters, query: try QueryParameters(request.query), principal: principal,
                                         now: registry.clock.now())
            return try endpoint.handler(self, context)
        } catch let error as APIError {
            return error.response
        } catch let error as RegistryError {
            if case .storageUnavailable(let reason, let underlying) = error {
                log.write(level: "error", "storage unavailable", [("request_id", request.requestID), ("reason", reason), ("error", underlying)])
            }
            return APIError(error).response
        } catch {
            // Storage failures and the like: logged with the request id, never detailed to clients.
            log.write(level: "error", "request failed", [("request_id", request.requestID), ("error", String(describing: error))])
            return APIError(status: 500, code: "internal", detail: "The server failed to handle the request (request id \(request.requestID)).").response
        }
    }

    /// The access policy: the route's requirement against the caller's role.
    /// A partner key refused on a resource outside its world gets 404, not 403.
    private func authorize(_ principal: Principal, endpoint: Endpoint, parameters: [String: String]) throws(APIError) {
        guard !endpoint.access.allows(principal.role) else { return }
        if let resource = endpoint.resource, let id = parameters["id"],
           !registry.isVisible(resource, id: id, scope: principal.scope) {
            throw .notFound("No such resource.")
        }
        throw .forbidden("The \(principal.role.rawValue) role may not do this.")
    }
}
