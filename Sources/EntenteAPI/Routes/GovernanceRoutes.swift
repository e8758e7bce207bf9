import HTTPServer
import JSON
import Governance
import Registry

extension EntenteAPI {
    static func addGovernanceRoutes(to table: inout RouteTable) {
        table.add("GET", "/v1/conventions/{id}/decision-rights", .read, lane: .governance) { api, context in
            Responses.json(.object(DecisionRightsPresenter.json(try api.registry.decisionRights(convention: context.parameter("id"), scope: context.scope,
                                                                                                 cancellation: context.cancellation))))
        }
        // A computation that stores nothing: any key may run it.
        table.add("POST", "/v1/governance/simulate", .read, lane: .governance) { api, context in
            Responses.json(.object(DecisionRightsPresenter.json(try api.registry.simulate(try context.jsonBody(), cancellation: context.cancellation))))
        }
        table.add("POST", "/v1/conventions/{id}/decisions", .write, resource: .convention) { api, context in
            let decision = try api.registry.openDecision(convention: context.parameter("id"), fields: try context.jsonBody(), change: context.change)
            return Responses.created(DecisionPresenter.json(decision), version: decision.version, location: "/v1/decisions/\(decision.id)", context: context)
        }
        table.add("GET", "/v1/conventions/{id}/decisions", .read) { api, context in
            let page = try api.registry.decisions(convention: context.parameter("id"), scope: context.scope, page: try context.pageRequest())
            return Responses.list(page, context: context, DecisionPresenter.json)
        }
        table.add("GET", "/v1/decisions/{id}", .read) { api, context in
            let decision = try api.registry.decision(context.parameter("id"), scope: context.scope)
            return Responses.resource(DecisionPresenter.json(decision), version: decision.version, context: context)
        }
        table.add("POST", "/v1/decisions/{id}/votes", .partnerAction, resource: .decision) { api, context in
            let (decision, created) = try api.registry.vote(decision: context.parameter("id"), fields: try context.jsonBody(), ifMatch: try context.ifMatch(),
                                                            actingFor: context.principal?.partnerID, change: context.change)
            return Responses.resource(DecisionPresenter.json(decision), version: decision.version, context: context, status: created ? 201 : 200)
        }
        table.add("POST", "/v1/decisions/{id}/close", .write, resource: .decision) { api, context in
            try FieldsAllowed.none(try context.jsonBody())
            let decision = try api.registry.closeDecision(context.parameter("id"), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.resource(DecisionPresenter.json(decision), version: decision.version, context: context)
        }
    }
}
