import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    static func addIndicatorRoutes(to table: inout RouteTable) {
        table.add("POST", "/v1/projects/{id}/indicators", .write, resource: .project) { api, context in
            let indicator = try api.registry.createIndicator(project: context.parameter("id"), fields: try context.jsonBody(), change: context.change)
            return Responses.created(IndicatorPresenter.json(indicator), version: indicator.version, location: "/v1/indicators/\(indicator.id)", context: context)
        }
        table.add("GET", "/v1/projects/{id}/indicators", .read) { api, context in
            let page = try api.registry.indicators(project: context.parameter("id"), scope: context.scope, page: try context.pageRequest())
            return Responses.list(page, context: context, IndicatorPresenter.json)
        }
        table.add("GET", "/v1/indicators/{id}", .read) { api, context in
            let indicator = try api.registry.indicator(context.parameter("id"), scope: context.scope)
            return Responses.resource(IndicatorPresenter.json(indicator), version: indicator.version, context: context)
        }
        // Partner keys record measurements on the indicators of their own projects.
        table.add("POST", "/v1/indicators/{id}/measurements", .partnerAction, resource: .indicator) { api, context in
            let indicator = try context.parameter("id")
            let (measurement, _) = try api.registry.recordMeasurement(indicator: indicator, fields: try context.jsonBody(),
                                                                      scope: context.scope, change: context.change)
            return Responses.created(IndicatorPresenter.json(measurement), version: measurement.version, location: "/v1/indicators/\(indicator)/measurements/\(measurement.id)", context: context)
        }
        table.add("GET", "/v1/indicators/{id}/measurements/{measurement_id}", .read) { api, context in
            let measurement = try api.registry.measurement(context.parameter("measurement_id"), indicator: context.parameter("id"), scope: context.scope)
            return Responses.resource(IndicatorPresenter.json(measurement), version: measurement.version, context: context)
        }
        table.add("GET", "/v1/indicators/{id}/measurements", .read) { api, context in
            let items = try api.registry.measurements(indicator: context.parameter("id"), scope: context.scope)
            return try Responses.page(items, key: \.seq, context: context, IndicatorPresenter.json)
        }
    }
}
