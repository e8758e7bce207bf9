import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    static func addProjectRoutes(to table: inout RouteTable) {
        table.add("POST", "/v1/projects", .write) { api, context in
            let project = try api.registry.createProject(try context.jsonBody(), change: context.change)
            return Responses.created(ProjectPresenter.json(project), version: project.version, location: "/v1/projects/\(project.id)", context: context)
        }
        table.add("GET", "/v1/projects", .read) { api, context in
            let filter = ProjectFilter(
                status: try context.filter("status", oneOf: ProjectStatus.allCases.map(\.rawValue)),
                partnerID: context.query["partner_id"],
                q: context.query["q"]
            )
            let page = try api.registry.projects(filter, scope: context.scope, page: try context.pageRequest())
            return Responses.list(page, context: context, csvColumns: ProjectPresenter.csvColumns, ProjectPresenter.json)
        }
        table.add("GET", "/v1/projects/{id}", .read) { api, context in
            let project = try api.registry.project(context.parameter("id"), scope: context.scope)
            return Responses.resource(ProjectPresenter.json(project), version: project.version, context: context)
        }
        table.add("PATCH", "/v1/projects/{id}", .write, resource: .project) { api, context in
            let project = try api.registry.updateProject(context.parameter("id"), patch: try context.jsonBody(), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.resource(ProjectPresenter.json(project), version: project.version, context: context)
        }
        table.add("DELETE", "/v1/projects/{id}", .write, resource: .project) { api, context in
            try api.registry.deleteProject(context.parameter("id"), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.noContent()
        }
        table.add("PUT", "/v1/projects/{id}/partners/{partner_id}", .write, resource: .project) { api, context in
            let partner = try context.parameter("partner_id")
            let (project, created) = try api.registry.setParticipant(
                project: context.parameter("id"), partner: partner,
                fields: try context.jsonBody(), ifMatch: try context.ifMatch(), change: context.change
            )
            return Responses.resource(ProjectPresenter.json(project), version: project.version, context: context, status: created ? 201 : 200,
                                      location: created ? "/v1/projects/\(project.id)/partners/\(partner)" : nil)
        }
        // The participation a PUT's Location names: the partner's role, under the project's version.
        table.add("GET", "/v1/projects/{id}/partners/{partner_id}", .read) { api, context in
            let project = try api.registry.project(context.parameter("id"), scope: context.scope)
            let partner = try context.parameter("partner_id")
            guard let participant = project.partners.first(where: { $0.partnerID == partner }) else {
                throw APIError.notFound("Partner \(partner) does not take part in project \(project.id).")
            }
            return Responses.resource(ProjectPresenter.json(participant), version: project.version, context: context)
        }
        table.add("DELETE", "/v1/projects/{id}/partners/{partner_id}", .write, resource: .project) { api, context in
            try api.registry.removeParticipant(project: context.parameter("id"), partner: context.parameter("partner_id"), ifMatch: try context.ifMatch(), change: context.change)
            return Responses.noContent()
        }
    }
}
