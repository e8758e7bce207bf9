import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    static func addPartnerRoutes(to table: inout RouteTable) {
        table.add("POST", "/v1/partners", .write) { api, context in
            let partner = try api.registry.createPartner(try context.jsonBody(), change: context.change)
            return Responses.created(PartnerPresenter.json(partner), version: partner.version, location: "/v1/partners/\(partner.id)", context: context)
        }
        table.add("GET", "/v1/partners", .read) { api, context in
            let filter = PartnerFilter(
                kind: try context.filter("kind", oneOf: Partner.kinds),
                country: try context.countryFilter(),
                q: context.query["q"]
            )
            let page = try api.registry.partners(filter, page: try context.pageRequest())
            return Responses.list(page, context: context, csvColumns: PartnerPresenter.csvColumns, PartnerPresenter.json)
        }
        table.add("GET", "/v1/partners/{id}", .read) { api, context in
            let partner = try api.registry.partner(context.parameter("id"))
            return Responses.resource(PartnerPresenter.json(partner), version: partner.version, context: context)
        }
        table.add("PATCH", "/v1/partners/{id}", .write) { api, context in
            let partner = try api.registry.updatePartner(context.parameter("id"), patch: try context.jsonBody(), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.resource(PartnerPresenter.json(partner), version: partner.version, context: context)
        }
        table.add("DELETE", "/v1/partners/{id}", .write) { api, context in
            try api.registry.deletePartner(context.parameter("id"), ifMatch: try context.ifMatch(), change: context.change)
            api.authenticator.invalidate()  // the partner's keys are gone with it
            return Responses.noContent()
        }
    }
}

extension RequestContext {
    /// `country=` must be an ISO 3166-1 alpha-2 code, in either case as on create.
    func countryFilter() throws(APIError) -> String? {
        guard let country = query["country"]?.uppercased() else { return nil }
        guard CountryCode.isValid(country) else {
            throw .badRequest("country must be an ISO 3166-1 alpha-2 code such as FR.", errors: [FieldError(field: "country", message: "an ISO 3166-1 alpha-2 code")])
        }
        return country
    }
}
