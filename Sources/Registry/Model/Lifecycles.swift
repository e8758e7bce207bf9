/// The convention lifecycle: draft → awaiting_signatures → in_force → terminated.
public enum ConventionStatus: String, Sendable, CaseIterable {
    case draft, awaitingSignatures = "awaiting_signatures", inForce = "in_force", terminated

    /// Submitting closes the text for signature; the last signature puts it
    /// in force; a convention in force may be terminated. Nothing goes back.
    public func canMove(to next: ConventionStatus) -> Bool {
        switch (self, next) {
        case (.draft, .awaitingSignatures), (.awaitingSignatures, .inForce), (.inForce, .terminated): true
        default: false
        }
    }
}

/// An amendment's lifecycle: awaiting_signatures → applied, when the last party signs.
public enum AmendmentStatus: String, Sendable, CaseIterable {
    case awaitingSignatures = "awaiting_signatures", applied

    public func canMove(to next: AmendmentStatus) -> Bool { self == .awaitingSignatures && next == .applied }
}

/// A decision's lifecycle: open → closed (by a close request or at `closes_at`).
public enum DecisionStatus: String, Sendable, CaseIterable {
    case open, closed

    public func canMove(to next: DecisionStatus) -> Bool { self == .open && next == .closed }
}

/// A webhook delivery's lifecycle: pending (retried on schedule) → delivered,
/// or failed once the retry schedule gives up.
public enum DeliveryStatus: String, Sendable, CaseIterable {
    case pending, delivered, failed

    public func canMove(to next: DeliveryStatus) -> Bool { self == .pending }
}

/// An obligation's lifecycle: pending → fulfilled. `overdue` is how a
/// pending obligation reads once its `due_on` has passed; it is not stored.
public enum ObligationStatus: String, Sendable, CaseIterable {
    case pending, fulfilled, overdue

    /// A pending obligation, overdue or not, may be fulfilled; nothing else moves.
    public func canMove(to next: ObligationStatus) -> Bool {
        (self == .pending || self == .overdue) && next == .fulfilled
    }
}

/// A breach notice's lifecycle: open → cured, or open → lapsed once its
/// `cure_deadline` passes (read so at once, persisted by the background job).
public enum BreachNoticeStatus: String, Sendable, CaseIterable {
    case open, cured, lapsed

    public func canMove(to next: BreachNoticeStatus) -> Bool { self == .open && next != .open }
}

/// A meeting's lifecycle: scheduled → held (at or after `starts_at`), or
/// scheduled → cancelled.
public enum MeetingStatus: String, Sendable, CaseIterable {
    case scheduled, held, cancelled

    public func canMove(to next: MeetingStatus) -> Bool { self == .scheduled && next != .scheduled }
}

/// The minutes' lifecycle: draft → published → objected, or approved once
/// the objection deadline passes without objection (read so at once,
/// recorded by the background job).
public enum MinutesStatus: String, Sendable, CaseIterable {
    case draft, published, objected, approved

    public func canMove(to next: MinutesStatus) -> Bool {
        switch (self, next) {
        case (.draft, .published), (.published, .objected), (.objected, .objected), (.published, .approved): true
        default: false
        }
    }
}
