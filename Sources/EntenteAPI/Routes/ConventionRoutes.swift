import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    static func addConventionRoutes(to table: inout RouteTable) {
        table.add("POST", "/v1/conventions", .write) { api, context in
            let view = try api.registry.createConvention(try context.jsonBody(), change: context.change)
            return Responses.created(ConventionPresenter.json(view), version: view.version, location: "/v1/conventions/\(view.convention.id)", context: context)
        }
        table.add("GET", "/v1/conventions", .read) { api, context in
            var days: Int?
            if let raw = context.query["expiring_within_days"] {
                guard let value = Int(raw), raw.allSatisfy(\.isASCIIDigit), value <= 36_500 else {
                    throw APIError.badRequest("expiring_within_days must be a whole number of days.",
                                              errors: [FieldError(field: "expiring_within_days", message: "a non-negative integer")])
                }
                days = value
            }
            let filter = ConventionFilter(
                projectID: context.query["project_id"], partnerID: context.query["partner_id"],
                status: try context.filter("status", oneOf: ConventionStatus.allCases.map(\.rawValue)), expiringWithinDays: days
            )
            let page = try api.registry.conventions(filter, scope: context.scope, page: try context.pageRequest())
            return Responses.list(page, context: context, csvColumns: ConventionPresenter.csvColumns, ConventionPresenter.json)
        }
        table.add("GET", "/v1/conventions/{id}", .read) { api, context in
            if let asOf = context.query["as_of"] {
                guard CalendarDate.isValid(asOf) else {
                    throw APIError.badRequest("as_of must be a date as YYYY-MM-DD.", errors: [FieldError(field: "as_of", message: "a date as YYYY-MM-DD")])
                }
                // The revision in force then, as stored (see the revisions below).
                return Responses.stored(try api.registry.revision(convention: context.parameter("id"), asOf: asOf, scope: context.scope), context: context)
            }
            let view = try api.registry.convention(context.parameter("id"), scope: context.scope)
            return Responses.resource(ConventionPresenter.json(view), version: view.version, context: context)
        }
        table.add("PATCH", "/v1/conventions/{id}", .write, resource: .convention) { api, context in
            let view = try api.registry.updateConvention(context.parameter("id"), patch: try context.jsonBody(), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.resource(ConventionPresenter.json(view), version: view.version, context: context)
        }
        table.add("POST", "/v1/conventions/{id}/submit", .write, resource: .convention) { api, context in
            try FieldsAllowed.none(try context.jsonBody())
            let view = try api.registry.submitConvention(context.parameter("id"), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.resource(ConventionPresenter.json(view), version: view.version, context: context)
        }
        table.add("POST", "/v1/conventions/{id}/signatures", .partnerAction, resource: .convention) { api, context in
            let view = try api.registry.signConvention(context.parameter("id"), fields: try context.jsonBody(), ifMatch: try context.ifMatch(),
                                                       actingFor: context.principal?.partnerID, change: context.change)
            return Responses.resource(ConventionPresenter.json(view), version: view.version, context: context, status: 201)
        }
        table.add("POST", "/v1/conventions/{id}/termination", .write, resource: .convention) { api, context in
            let view = try api.registry.terminateConvention(context.parameter("id"), fields: try context.jsonBody(), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.resource(ConventionPresenter.json(view), version: view.version, context: context)
        }
        table.add("PATCH", "/v1/conventions/{id}/contributions/{contribution_id}", .write, resource: .convention) { api, context in
            let view = try api.registry.recordDelivery(convention: context.parameter("id"), contribution: context.parameter("contribution_id"),
                                                       fields: try context.jsonBody(), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.resource(ConventionPresenter.json(view), version: view.version, context: context)
        }
        table.add("POST", "/v1/conventions/{id}/amendments", .write, resource: .convention) { api, context in
            let id = try context.parameter("id")
            let amendment = try api.registry.proposeAmendment(convention: id, fields: try context.jsonBody(), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.json(.object(AmendmentPresenter.json(amendment)), status: 201, headers: HTTPHeaders([("Location", "/v1/conventions/\(id)/amendments/\(amendment.number)")]))
        }
        table.add("GET", "/v1/conventions/{id}/amendments", .read) { api, context in
            let amendments = try api.registry.amendments(convention: context.parameter("id"), scope: context.scope)
            return try Responses.page(amendments, key: { Int64($0.number) }, context: context, AmendmentPresenter.json)
        }
        table.add("GET", "/v1/conventions/{id}/amendments/{number}", .read) { api, context in
            let amendment = try api.registry.amendment(convention: context.parameter("id"), number: try context.number("number"), scope: context.scope)
            return Responses.json(.object(AmendmentPresenter.json(amendment)))
        }
        table.add("POST", "/v1/conventions/{id}/amendments/{number}/signatures", .partnerAction, resource: .convention) { api, context in
            let amendment = try api.registry.signAmendment(convention: context.parameter("id"), number: try context.number("number"), fields: try context.jsonBody(),
                                                           ifMatch: try context.ifMatch(), actingFor: context.principal?.partnerID, change: context.change)
            return Responses.json(.object(AmendmentPresenter.json(amendment)), status: 201)
        }
        // A revision is by contract the text as stored when it came into force,
        // served byte for byte (docs/signatures.md: its digest is recomputed
        // from what is served), so no presenter re-encodes it.
        table.add("GET", "/v1/conventions/{id}/revisions", .read) { api, context in
            let revisions = try api.registry.revisions(convention: context.parameter("id"), scope: context.scope)
            return try Responses.storedPage(revisions.map { (Int64($0.revision), $0.text) }, context: context)
        }
        table.add("GET", "/v1/conventions/{id}/revisions/{revision}", .read) { api, context in
            Responses.stored(try api.registry.revision(convention: context.parameter("id"), revision: try context.number("revision"), scope: context.scope), context: context)
        }
        table.add("POST", "/v1/conventions/{id}/parties/{partner_id}/default", .write, resource: .convention) { api, context in
            let view = try api.registry.setDefaulting(convention: context.parameter("id"), partner: context.parameter("partner_id"), defaulting: true,
                                                      fields: try context.jsonBody(), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.resource(ConventionPresenter.json(view), version: view.version, context: context)
        }
        table.add("DELETE", "/v1/conventions/{id}/parties/{partner_id}/default", .write, resource: .convention) { api, context in
            let view = try api.registry.setDefaulting(convention: context.parameter("id"), partner: context.parameter("partner_id"), defaulting: false,
                                                      fields: try context.jsonBody(), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.resource(ConventionPresenter.json(view), version: view.version, context: context)
        }
    }
}

/// Action endpoints whose body carries nothing.
enum FieldsAllowed {
    static func none(_ body: JSONObject) throws(APIError) {
        guard body.isEmpty else {
            throw APIError(status: 422, code: "validation_failed", detail: "This action takes no fields.",
                           errors: body.keys.map { FieldError(field: $0, message: "unknown field") })
        }
    }
}

extension RequestContext {
    /// A positive integer path parameter (404 otherwise: no such sub-resource).
    func number(_ name: String) throws -> Int {
        let text = try parameter(name)
        guard let value = Int(text), value >= 1, text.allSatisfy(\.isASCIIDigit) else {
            throw APIError.notFound("No \(name) \(text).")
        }
        return value
    }
}
