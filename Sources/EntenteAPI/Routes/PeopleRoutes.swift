import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    /// API.md §12. Partner keys create and change the people of their own
    /// partner (the registry checks the affiliations); only editors and
    /// admins delete.
    static func addPeopleRoutes(to table: inout RouteTable) {
        table.add("POST", "/v1/people", .partnerAction) { api, context in
            let person = try api.registry.createPerson(try context.jsonBody(), actingFor: context.principal?.partnerID, change: context.change)
            return Responses.created(PersonPresenter.json(person), version: person.version, location: "/v1/people/\(person.id)", context: context)
        }
        table.add("GET", "/v1/people", .read) { api, context in
            let filter = PersonFilter(
                partnerID: context.query["partner_id"],
                role: try context.filter("role", oneOf: Person.roles),
                q: context.query["q"]
            )
            let page = try api.registry.people(filter, scope: context.scope, page: try context.pageRequest())
            return Responses.list(page, context: context, csvColumns: PersonPresenter.csvColumns, PersonPresenter.json)
        }
        table.add("GET", "/v1/people/{id}", .read) { api, context in
            let person = try api.registry.person(context.parameter("id"), scope: context.scope)
            return Responses.resource(PersonPresenter.json(person), version: person.version, context: context)
        }
        table.add("PATCH", "/v1/people/{id}", .partnerAction, resource: .person) { api, context in
            let person = try api.registry.updatePerson(context.parameter("id"), patch: try context.jsonBody(), ifMatch: try context.ifMatch(),
                                                       actingFor: context.principal?.partnerID, change: context.change)
            return Responses.resource(PersonPresenter.json(person), version: person.version, context: context)
        }
        table.add("DELETE", "/v1/people/{id}", .write, resource: .person) { api, context in
            try api.registry.deletePerson(context.parameter("id"), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.noContent()
        }
    }
}
