/// Every action an audit entry (and so an event) can carry: what a webhook
/// may subscribe to. `AuditLog` checks each entry against it in debug builds,
/// so an action added without listing it here fails the tests.
public enum EventTypes {
    public static let all: Set<String> = [
        "partner.created", "partner.updated", "partner.deleted",
        "person.created", "person.changed", "person.deleted",
        "project.created", "project.updated", "project.deleted", "project.status_changed",
        "project.partner_added", "project.partner_changed", "project.partner_removed",
        "convention.created", "convention.updated", "convention.submitted", "convention.signed", "convention.in_force",
        "convention.terminated", "convention.expiring",
        "contribution.delivered", "contribution.overdue",
        "amendment.proposed", "amendment.signed", "amendment.applied",
        "decision.opened", "decision.voted", "decision.closed",
        "party.defaulted", "party.default_lifted",
        "obligation.created", "obligation.fulfilled", "obligation.overdue",
        "breach.notified", "breach.cured",
        "meeting.convened", "meeting.changed", "meeting.cancelled", "meeting.held",
        "proxy.granted", "proxy.revoked",
        "minutes.published", "minutes.objected", "minutes.approved",
        "indicator.created", "indicator.measured",
        "api_key.created", "api_key.revoked",
        "webhook.created", "webhook.deleted",
    ]
}
