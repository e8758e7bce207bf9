import JSON
import SQLite

/// A revision as served, byte for byte, and the convention version it
/// records (its `ETag`; nil only for a text that carries none).
public struct ServedRevision: Sendable {
    public let text: String
    public let version: Int?
}

extension Registry {
    public func proposeAmendment(convention id: String, fields: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> Amendment {
        var reader = FieldReader(fields, allowed: ["summary", "changes"])
        let summary = reader.string("summary", required: true, maxLength: 2000, trimmed: true, freeText: true)
        let changes = reader.object("changes", required: true)
        if let changes {
            var inner = FieldReader(changes, prefix: "changes.", allowed: Convention.amendableFields)
            if changes.isEmpty { inner.fail("", "at least one change") }
            reader.absorb(inner.errors)
        }
        try reader.check()
        return try write(change) { db, audit in
            let convention = try fetchConvention(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: convention.version)
            guard convention.status == .inForce else {
                throw RegistryError.invalidTransition("Only a convention in force can be amended.")
            }
            if try db.queryOne("SELECT 1 FROM amendments WHERE convention_id = ? AND status = ?", [id, AmendmentStatus.awaitingSignatures.rawValue]) != nil {
                throw RegistryError.conflict("An amendment is already awaiting signatures.")
            }
            let number = Int(try db.queryOne("SELECT ifnull(max(number), 0) + 1 AS n FROM amendments WHERE convention_id = ?", [id])?.int("n") ?? 1)
            let resulting = try Amendment.resultingText(of: convention, number: number, changes: changes!, at: change.at)
            let amendment = Amendment(conventionID: id, number: number, summary: summary!, changes: changes!,
                                      textSHA256: resulting.textSHA256, createdAt: change.at.timestamp)
            try checkReferences(resulting, db: db)
            try db.run("INSERT INTO amendments (convention_id, number, status, document) VALUES (?, ?, ?, ?)",
                       [id, number, amendment.status.rawValue, JSON.object(amendment.document).serialized()])
            try audit.record("amendment.proposed", entityType: "convention", entityID: id,
                             changes: ["number": .int(Int64(number)), "summary": .string(summary!), "changes": .object(changes!)],
                             partners: Array(Set(convention.partnerIDs + resulting.partnerIDs)))
            return amendment
        }
    }

    public func amendments(convention id: String, scope: Scope) throws -> [Amendment] {
        try read { db in
            let convention = try fetchConvention(id, scope: scope, db: db)
            return try db.query("SELECT document FROM amendments WHERE convention_id = ? ORDER BY number", [id])
                .map { row throws in Self.digested(try Amendment(conventionID: id, row: row), of: convention) }
        }
    }

    /// A partner key sees an amendment of a convention it is party to, and one
    /// whose amended text would make it a party (it has to sign that one).
    public func amendment(convention id: String, number: Int, scope: Scope) throws -> Amendment {
        try read { db in
            let convention = try fetchConvention(id, scope: .everything, db: db)
            return try visibleAmendment(number, of: convention, to: scope.partnerID, db: db)
        }
    }

    /// The amendment, if `partner` (nil: any caller) may see it; otherwise a 404
    /// that says nothing of the convention.
    private func visibleAmendment(_ number: Int, of convention: Convention, to partner: String?, db: Connection) throws -> Amendment {
        guard let partner, !convention.partnerIDs.contains(partner) else { return try fetchAmendment(of: convention, number: number, db: db) }
        guard let amendment = try? fetchAmendment(of: convention, number: number, db: db), amendment.status == .awaitingSignatures,
              (try? amendment.resultingText(of: convention, at: clock.now()))?.partnerIDs.contains(partner) == true
        else { throw RegistryError.notFound("No convention \(convention.id).") }
        return amendment
    }

    /// A party of the resulting text signs the text it read; the last
    /// signature applies the changes and makes a new revision. `ifMatch`
    /// names a version of the convention, the resource the amendment changes.
    public func signAmendment(convention id: String, number: Int, fields: JSONObject, ifMatch: VersionPrecondition?, actingFor: String?, change: ChangeContext) throws -> Amendment {
        let request = try SignatureRequest(fields)
        let partnerID = request.partnerID
        return try write(change) { db, audit in
            var convention = try fetchConvention(id, scope: .everything, db: db)
            var amendment = try visibleAmendment(number, of: convention, to: actingFor, db: db)
            try checkVersion(ifMatch, current: convention.version)
            try Self.checkActing(actingFor, for: partnerID)
            var resulting = try amendment.resultingText(of: convention, at: change.at)
            try request.checkSigner(authorisedOnly: resulting.authorisedSignatories)
            let signer = try request.signer(on: change.at.date, db: db)
            guard amendment.status.canMove(to: .applied), convention.status == .inForce else {
                throw RegistryError.invalidTransition("This amendment is no longer awaiting signatures.")
            }
            guard resulting.partnerIDs.contains(partnerID) else {
                throw RegistryError.conflict("Partner \(partnerID) is not a party to the amended convention.")
            }
            guard !amendment.signatures.contains(where: { $0.partnerID == partnerID }) else {
                throw RegistryError.conflict("Partner \(partnerID) has already signed this amendment.")
            }
            let digest = resulting.textSHA256
            try request.checkText(digest)
            amendment.textSHA256 = digest
            amendment.signatures.append(AmendmentSignature(partnerID: partnerID, signatory: signer.signatory, personID: signer.personID,
                                                           signedAt: change.at.timestamp, textSHA256: digest))
            try request.recordSigner(signer.personID, convention: id, amendment: number, signedAt: change.at.timestamp, db: db)
            try audit.record("amendment.signed", entityType: "convention", entityID: id,
                             changes: ["number": .int(Int64(number)), "partner_id": .string(partnerID), "signatory": .string(signer.signatory),
                                       "person_id": signer.personID.json, "text_sha256": .string(digest)],
                             partners: resulting.partnerIDs)
            let signers = Set(amendment.signatures.map(\.partnerID))
            if resulting.partnerIDs.allSatisfy(signers.contains) {
                for index in resulting.parties.indices where resulting.parties[index].signedAt == nil {
                    let signature = amendment.signatures.first { $0.partnerID == resulting.parties[index].partnerID }
                    resulting.parties[index].signedAt = signature?.signedAt
                    resulting.parties[index].signatory = signature?.signatory
                    resulting.parties[index].personID = signature?.personID
                    resulting.parties[index].textSHA256 = signature?.textSHA256
                }
                resulting.revision = convention.revision + 1
                resulting.version = convention.version + 1
                amendment.status = .applied
                amendment.appliedAt = change.at.timestamp
                convention = resulting
                try saveConvention(convention, db: db, inserting: false)
                try storeRevision(convention, at: change.at, db: db)
                try noticeExpiryIfDue(convention, today: change.at, db: db, audit: audit)
                try audit.record("amendment.applied", entityType: "convention", entityID: id,
                                 changes: ["number": .int(Int64(number)), "revision": .int(Int64(convention.revision))], partners: convention.partnerIDs)
            }
            try db.run("UPDATE amendments SET status = ?, document = ? WHERE convention_id = ? AND number = ?",
                       [amendment.status.rawValue, JSON.object(amendment.document).serialized(), id, number])
            return amendment
        }
    }

    /// Every revision's text exactly as stored when it came into force.
    public func revisions(convention id: String, scope: Scope) throws -> [(revision: Int, text: String)] {
        try read { db in
            _ = try fetchConvention(id, scope: scope, db: db)
            return try db.query("SELECT revision, document, text_sha256 FROM convention_revisions WHERE convention_id = ? ORDER BY revision", [id])
                .map { row throws in (Int(try StoredRecord(row: row, table: "convention_revisions").int("revision")), try Self.servedRevision(row)) }
        }
    }

    public func revision(convention id: String, revision: Int, scope: Scope) throws -> ServedRevision {
        try read { db in
            _ = try fetchConvention(id, scope: scope, db: db)
            guard let row = try db.queryOne("SELECT \(Self.revisionColumns) FROM convention_revisions WHERE convention_id = ? AND revision = ?", [id, revision]) else {
                throw RegistryError.notFound("Convention \(id) has no revision \(revision).")
            }
            return try Self.servedRevisionWithVersion(row)
        }
    }

    /// The revision in force at the end of `date`: the latest applied on or before it.
    public func revision(convention id: String, asOf date: String, scope: Scope) throws -> ServedRevision {
        try read { db in
            _ = try fetchConvention(id, scope: scope, db: db)
            guard let row = try db.queryOne(
                "SELECT \(Self.revisionColumns) FROM convention_revisions WHERE convention_id = ? AND applied_on <= ? ORDER BY revision DESC LIMIT 1", [id, date]
            ) else {
                throw RegistryError.notFound("Convention \(id) was not in force on \(date).")
            }
            return try Self.servedRevisionWithVersion(row)
        }
    }

    /// The text and digest of a revision, and the convention version its text records.
    private static let revisionColumns = "document, text_sha256, json_extract(document, '$.version') AS version"

    private static func servedRevisionWithVersion(_ row: Row) throws -> ServedRevision {
        let version = try StoredRecord(row: row, table: "convention_revisions").optionalInt("version")
        return ServedRevision(text: try servedRevision(row), version: version.map { Int($0) })
    }

    /// A revision as served: its stored text, byte for byte, with its
    /// `text_sha256` appended as the last member.
    private static func servedRevision(_ row: Row) throws -> String {
        let stored = StoredRecord(row: row, table: "convention_revisions")
        let document = try stored.string("document")
        let digest = try stored.string("text_sha256")
        guard document.hasSuffix("}"), document.count > 2 else { throw CorruptRecord(description: "convention_revisions.document is not a JSON object") }
        return document.dropLast() + ",\"text_sha256\":\"" + digest + "\"}"
    }

    /// DESCA: marks a party in breach as defaulting, or lifts it.
    public func setDefaulting(convention id: String, partner partnerID: String, defaulting: Bool, fields: JSONObject, ifMatch: VersionPrecondition?, change: ChangeContext) throws -> ConventionView {
        var reason: String?
        if defaulting {
            var reader = FieldReader(fields, allowed: ["reason"])
            reason = reader.string("reason", required: true, maxLength: 10_000, trimmed: true, freeText: true)
            try reader.check()
        } else {
            try FieldReader(fields, allowed: ["reason"]).check()
        }
        return try write(change) { db, audit in
            // A lapsed notice's default is recorded first, so lifting it lifts it for good.
            try lapseDueNotices(convention: id, db: db, audit: audit)
            var convention = try fetchConvention(id, scope: .everything, db: db)
            try checkVersion(ifMatch, current: convention.version)
            guard convention.partnerIDs.contains(partnerID) else {
                throw RegistryError.notFound("Partner \(partnerID) is not a party to convention \(id).")
            }
            guard convention.status == .inForce else {
                throw RegistryError.invalidTransition("Parties default on a convention in force only.")
            }
            let already = try defaultingParties(id, db: db).contains(partnerID)
            if defaulting {
                guard !already else { throw RegistryError.conflict("Partner \(partnerID) is already defaulting.") }
                try db.run("INSERT INTO party_defaults (convention_id, partner_id, reason, since) VALUES (?, ?, ?, ?)", [id, partnerID, reason!, change.at.timestamp])
            } else {
                guard already else { throw RegistryError.conflict("Partner \(partnerID) is not defaulting.") }
                try db.run("DELETE FROM party_defaults WHERE convention_id = ? AND partner_id = ?", [id, partnerID])
            }
            convention.updatedAt = change.at.timestamp
            convention.version += 1
            try saveConvention(convention, db: db, inserting: false)
            try audit.record(defaulting ? "party.defaulted" : "party.default_lifted", entityType: "convention", entityID: id,
                             changes: ["partner_id": .string(partnerID), "reason": reason.json], partners: convention.partnerIDs)
            if defaulting { try dropProxies(of: partnerID, convention: convention, db: db, audit: audit) }
            return try view(convention, db: db)
        }
    }

    private func fetchAmendment(of convention: Convention, number: Int, db: Connection) throws -> Amendment {
        let id = convention.id
        guard let row = try db.queryOne("SELECT document FROM amendments WHERE convention_id = ? AND number = ?", [id, number]) else {
            throw RegistryError.notFound("Convention \(id) has no amendment \(number).")
        }
        return Self.digested(try Amendment(conventionID: id, row: row), of: convention)
    }

    /// An amendment proposed before texts had digests learns its own from
    /// the text it would produce (applied ones got theirs by migration 0004).
    private static func digested(_ amendment: Amendment, of convention: Convention) -> Amendment {
        guard amendment.textSHA256 == nil, amendment.status == .awaitingSignatures else { return amendment }
        var digested = amendment
        digested.textSHA256 = try? amendment.resultingText(of: convention, at: Instant(epochSeconds: 0)).textSHA256
        return digested
    }
}
