import HTTPServer
import JSON
import Registry

extension EntenteAPI {
    /// API.md §13: meetings, their agenda, attendance, proxies, minutes,
    /// decision rights and calendars.
    static func addMeetingRoutes(to table: inout RouteTable) {
        table.add("POST", "/v1/conventions/{id}/meetings", .write, resource: .convention) { api, context in
            let meeting = try api.registry.convene(convention: context.parameter("id"), fields: try context.jsonBody(), change: context.change)
            return Responses.created(MeetingPresenter.json(meeting, now: context.now), version: meeting.version,
                                     location: "/v1/meetings/\(meeting.id)", context: context)
        }
        table.add("GET", "/v1/conventions/{id}/meetings", .read) { api, context in
            var filter = try meetingFilter(context)
            filter.conventionID = try context.parameter("id")
            return meetingList(try api.registry.meetings(filter: filter, scope: context.scope, page: try context.pageRequest()), context: context)
        }
        table.add("GET", "/v1/meetings", .read) { api, context in
            var filter = try meetingFilter(context)
            filter.conventionID = context.query["convention_id"]
            return meetingList(try api.registry.meetings(filter: filter, scope: context.scope, page: try context.pageRequest()), context: context)
        }
        table.add("GET", "/v1/meetings/{id}", .read) { api, context in
            let meeting = try api.registry.meeting(context.parameter("id"), scope: context.scope)
            guard context.wantsCalendar else { return meetingResponse(meeting, context: context) }
            var headers = HTTPHeaders([("Content-Type", "\(ICalendar.mediaType); charset=utf-8"), ("ETag", "\"\(meeting.version)\"")])
            if context.ifNoneMatches(version: meeting.version) { return HTTPResponse(status: 304, headers: headers) }
            headers.set("Content-Disposition", "inline; filename=\"\(meeting.id).ics\"")
            return HTTPResponse(status: 200, headers: headers, body: Array(ICalendar.calendar([meeting]).utf8))
        }
        table.add("PATCH", "/v1/meetings/{id}", .write, resource: .meeting) { api, context in
            meetingResponse(try api.registry.updateMeeting(context.parameter("id"), fields: try context.jsonBody(), ifMatch: try context.ifMatch(),
                                                           change: context.change), context: context)
        }
        table.add("POST", "/v1/meetings/{id}/cancel", .write, resource: .meeting) { api, context in
            try FieldsAllowed.none(try context.jsonBody())
            return meetingResponse(try api.registry.cancelMeeting(context.parameter("id"), ifMatch: try context.ifMatch(), change: context.change),
                                   context: context)
        }
        table.add("POST", "/v1/meetings/{id}/hold", .write, resource: .meeting) { api, context in
            try FieldsAllowed.none(try context.jsonBody())
            return meetingResponse(try api.registry.holdMeeting(context.parameter("id"), ifMatch: try context.ifMatch(), change: context.change),
                                   context: context)
        }
        table.add("POST", "/v1/meetings/{id}/agenda", .write, resource: .meeting) { api, context in
            let meeting = try api.registry.addAgendaItem(meeting: context.parameter("id"), fields: try context.jsonBody(), ifMatch: try context.ifMatch(),
                                                         change: context.change)
            return meetingResponse(meeting, context: context, status: 201)
        }
        table.add("PUT", "/v1/meetings/{id}/attendance/{partner_id}", .partnerAction, resource: .meeting) { api, context in
            let (meeting, created) = try api.registry.recordAttendance(
                meeting: context.parameter("id"), partner: context.parameter("partner_id"), fields: try context.jsonBody(),
                ifMatch: try context.ifMatch(), actingFor: context.principal?.partnerID, change: context.change)
            return meetingResponse(meeting, context: context, status: created ? 201 : 200)
        }
        table.add("PUT", "/v1/meetings/{id}/proxies/{grantor}", .partnerAction, resource: .meeting) { api, context in
            let (meeting, created) = try api.registry.grantProxy(
                meeting: context.parameter("id"), grantor: context.parameter("grantor"), fields: try context.jsonBody(),
                ifMatch: try context.ifMatch(), actingFor: context.principal?.partnerID, change: context.change)
            return meetingResponse(meeting, context: context, status: created ? 201 : 200)
        }
        // A delete answers 204 (API.md §1).
        table.add("DELETE", "/v1/meetings/{id}/proxies/{grantor}", .partnerAction, resource: .meeting) { api, context in
            try api.registry.revokeProxy(meeting: context.parameter("id"), grantor: context.parameter("grantor"), ifMatch: try context.ifMatch(),
                                         actingFor: context.principal?.partnerID, change: context.change)
            return Responses.noContent()
        }
        table.add("GET", "/v1/meetings/{id}/decision-rights", .read, lane: .governance) { api, context in
            Responses.json(.object(DecisionRightsPresenter.json(try api.registry.decisionRights(meeting: context.parameter("id"), scope: context.scope,
                                                                                              cancellation: context.cancellation))))
        }
        table.add("PUT", "/v1/meetings/{id}/minutes", .write, resource: .meeting) { api, context in
            let (meeting, created) = try api.registry.writeMinutes(meeting: context.parameter("id"), fields: try context.jsonBody(),
                                                                   ifMatch: try context.ifMatch(), change: context.change)
            return meetingResponse(meeting, context: context, status: created ? 201 : 200)
        }
        table.add("POST", "/v1/meetings/{id}/minutes/publish", .write, resource: .meeting) { api, context in
            try FieldsAllowed.none(try context.jsonBody())
            return meetingResponse(try api.registry.publishMinutes(meeting: context.parameter("id"), ifMatch: try context.ifMatch(), change: context.change),
                                   context: context)
        }
        table.add("POST", "/v1/meetings/{id}/minutes/objections", .partnerAction, resource: .meeting) { api, context in
            let meeting = try api.registry.objectToMinutes(meeting: context.parameter("id"), fields: try context.jsonBody(), ifMatch: try context.ifMatch(),
                                                           actingFor: context.principal?.partnerID, change: context.change)
            return meetingResponse(meeting, context: context, status: 201)
        }
    }

    private static func meetingResponse(_ meeting: Meeting, context: RequestContext, status: Int = 200) -> HTTPResponse {
        Responses.resource(MeetingPresenter.json(meeting, now: context.now), version: meeting.version, context: context, status: status)
    }

    /// A page of meetings as JSON, CSV or one iCalendar of their events.
    private static func meetingList(_ page: Page<Meeting>, context: RequestContext) -> HTTPResponse {
        guard context.wantsCalendar else {
            return Responses.list(page, context: context, csvColumns: MeetingPresenter.csvColumns) { MeetingPresenter.json($0, now: context.now) }
        }
        var headers = HTTPHeaders([("Content-Type", "\(ICalendar.mediaType); charset=utf-8")])
        if let next = page.nextCursor { headers.add("Link", "<\(nextPageTarget(context.request, cursor: next))>; rel=\"next\"") }
        return HTTPResponse(status: 200, headers: headers, body: Array(ICalendar.calendar(page.items).utf8))
    }

    /// The request's own path and query with `cursor` set to the next page's.
    private static func nextPageTarget(_ request: HTTPRequest, cursor: String) -> String {
        let kept = (request.query ?? "").split(separator: "&").filter { !$0.isEmpty && !$0.hasPrefix("cursor=") }
        return request.path + "?" + (kept + ["cursor=\(cursor)"]).joined(separator: "&")
    }

    /// The list filters `status`, `from` and `to` (RFC 3339 instants: 400 otherwise).
    private static func meetingFilter(_ context: RequestContext) throws(APIError) -> MeetingFilter {
        var filter = MeetingFilter()
        filter.status = try context.filter("status", oneOf: MeetingStatus.allCases.map(\.rawValue)).flatMap(MeetingStatus.init(rawValue:))
        for name in ["from", "to"] {
            guard let text = context.query[name] else { continue }
            guard let instant = CalendarDate.normalizedInstant(text) else {
                throw .badRequest("\(name) must be an RFC 3339 instant.", errors: [FieldError(field: name, message: "an RFC 3339 instant such as 2026-11-27T10:15:00Z")])
            }
            if name == "from" { filter.from = instant } else { filter.to = instant }
        }
        return filter
    }
}
