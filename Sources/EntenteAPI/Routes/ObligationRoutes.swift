import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    /// API.md §14: obligations, breach notices and a partner's standing.
    static func addObligationRoutes(to table: inout RouteTable) {
        table.add("POST", "/v1/conventions/{id}/obligations", .write, resource: .convention) { api, context in
            let obligation = try api.registry.createObligation(convention: context.parameter("id"), fields: try context.jsonBody(), change: context.change)
            return Responses.created(ObligationPresenter.json(obligation, today: context.now.date), version: obligation.version,
                                     location: "/v1/obligations/\(obligation.id)", context: context)
        }
        table.add("GET", "/v1/conventions/{id}/obligations", .read) { api, context in
            let filter = ObligationFilter(
                status: try context.filter("status", oneOf: ObligationStatus.allCases.map(\.rawValue)).flatMap(ObligationStatus.init(rawValue:)),
                partnerID: context.query["partner_id"]
            )
            let page = try api.registry.obligations(convention: context.parameter("id"), filter: filter, scope: context.scope, page: try context.pageRequest(),
                                                     today: context.now.date)
            return Responses.list(page, context: context, csvColumns: ObligationPresenter.csvColumns) { ObligationPresenter.json($0, today: context.now.date) }
        }
        table.add("GET", "/v1/obligations/{id}", .read) { api, context in
            let obligation = try api.registry.obligation(context.parameter("id"), scope: context.scope)
            return Responses.resource(ObligationPresenter.json(obligation, today: context.now.date), version: obligation.version, context: context)
        }
        table.add("POST", "/v1/obligations/{id}/fulfilment", .partnerAction, resource: .obligation) { api, context in
            let obligation = try api.registry.fulfilObligation(context.parameter("id"), fields: try context.jsonBody(), ifMatch: try context.ifMatch(),
                                                               actingFor: context.principal?.partnerID, change: context.change)
            return Responses.resource(ObligationPresenter.json(obligation, today: context.now.date), version: obligation.version, context: context)
        }
        table.add("POST", "/v1/conventions/{id}/parties/{partner_id}/breach-notices", .write, resource: .convention) { api, context in
            let notice = try api.registry.issueBreachNotice(convention: context.parameter("id"), partner: context.parameter("partner_id"),
                                                            fields: try context.jsonBody(), change: context.change)
            return Responses.created(BreachNoticePresenter.json(notice, now: context.now), version: notice.version, location: "/v1/breach-notices/\(notice.id)", context: context)
        }
        table.add("GET", "/v1/conventions/{id}/breach-notices", .read) { api, context in
            let page = try api.registry.breachNotices(convention: context.parameter("id"), scope: context.scope, page: try context.pageRequest())
            return Responses.list(page, context: context) { BreachNoticePresenter.json($0, now: context.now) }
        }
        table.add("GET", "/v1/breach-notices/{id}", .read) { api, context in
            let notice = try api.registry.breachNotice(context.parameter("id"), scope: context.scope)
            return Responses.resource(BreachNoticePresenter.json(notice, now: context.now), version: notice.version, context: context)
        }
        table.add("POST", "/v1/breach-notices/{id}/cure", .write, resource: .breachNotice) { api, context in
            try FieldsAllowed.none(try context.jsonBody())
            let notice = try api.registry.cureBreachNotice(context.parameter("id"), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.resource(BreachNoticePresenter.json(notice, now: context.now), version: notice.version, context: context)
        }
        table.add("GET", "/v1/partners/{id}/standing", .read) { api, context in
            let id = try context.parameter("id")
            let standing = try api.registry.standing(partner: id, scope: context.scope, page: try context.pageRequest())
            return Responses.json(StandingPresenter.list(standing, partnerID: id))
        }
    }
}
