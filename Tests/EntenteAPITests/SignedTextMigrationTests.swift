import Foundation
import XCTest
import JSON
import Registry
import SQLite

/// Migration 0004 gives the texts and signatures stored before it their
/// digests (docs/signatures.md, "Texts stored before signatures were bound").
///
/// The old data is made honestly: a live server (every migration) creates,
/// signs and amends conventions through the API; its rows are then copied
/// into a database that has only migrations 0001–0003, less every member
/// that did not exist before 0004. Migrating that database must give each
/// revision, party and amendment the digest the live server served.
final class SignedTextMigrationTests: XCTestCase {
    /// Members stored documents gained with 0004 (and later), which older rows lack.
    private static let newTextMembers = ["authorised_signatories"]
    private static let newPartyMembers = ["person_id", "text_sha256"]
    private static let newContributionMembers = ["instalments"]

    private struct Served {
        let conventionInForce: String, conventionAwaiting: String, draft: String
        let a: String, b: String, c: String
        /// Revision number → digest served for the convention in force.
        let revisions: [Int: String]
        let awaitingDigest: String
    }

    private func migrationsFolder(upTo version: Int) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("entente-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: LiveServer.migrationsFolder).sorted()
        where name.hasSuffix(".sql") && (Int(name.prefix(4)) ?? Int.max) <= version {
            try FileManager.default.copyItem(atPath: LiveServer.migrationsFolder + "/" + name, toPath: folder.appendingPathComponent(name).path)
        }
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.path
    }

    /// Conventions in every state that matters, made through the API.
    private func makeHistory(_ live: LiveServer) throws -> Served {
        let api = live.client()
        let fixtures = Fixtures(client: api)
        let a = try fixtures.partner("Musée A"), b = try fixtures.partner("Festival B"), c = try fixtures.partner("Ville C")
        let project = try fixtures.project("Saison", partners: [a: "lead", b: "host"])
        // In force, then amended twice (the first adds C), with a third amendment open and signed by A only.
        let inForce = try fixtures.convention(project: project, parties: [(a, 100_000), (b, 50_000)],
                                              governance: ["voting": "proportional", "majority": 66.5])
        try fixtures.bringIntoForce(inForce, parties: [a, b])
        let path = "/v1/conventions/\(inForce)"
        let text = try api.get(path)
        let kept: [JSON] = (text.json?["parties"]?.arrayValue ?? []).map { entry in
            ["partner_id": entry["partner_id"] ?? .null, "contributions": .array((entry["contributions"]?.arrayValue ?? []).map { item in
                ["id": item["id"] ?? .null, "kind": item["kind"] ?? .null, "description": item["description"] ?? .null, "value_cents": item["value_cents"] ?? .null]
            })]
        }
        let amendments: [(JSON, [String])] = [
            (["title": "Avec la Ville", "parties": .array(kept + [["partner_id": .string(c), "contributions": []]])], [a, b, c]),
            (["title": "Avec la Ville, prolongée", "effective_until": "2031-12-31"], [a, b, c]),
            (["title": "Jamais signée"], [a]),
        ]
        for (number, (changes, signers)) in amendments.enumerated() {
            let proposed = try api.post("\(path)/amendments", ["summary": .string("Avenant \(number + 1)"), "changes": changes])
            guard proposed.status == 201 else { throw TestFailure("amendment: \(proposed.status) \(proposed.text)") }
            for signer in signers {
                let signed = try api.post("\(path)/amendments/\(number + 1)/signatures", ["partner_id": .string(signer), "signatory": "Signataire"])
                guard signed.status == 201 else { throw TestFailure("amendment signature: \(signed.status) \(signed.text)") }
            }
        }
        var revisions: [Int: String] = [:]
        for revision in 1...3 {
            revisions[revision] = try XCTUnwrap(try api.get("\(path)/revisions/\(revision)").json?["text_sha256"]?.stringValue)
        }
        XCTAssertEqual(Set(revisions.values).count, 3)
        // Awaiting signatures, A signed; and a draft nobody signed.
        let awaiting = try fixtures.convention(project: project, parties: [(a, 10), (b, 20)])
        XCTAssertEqual(try api.post("/v1/conventions/\(awaiting)/submit").status, 200)
        XCTAssertEqual(try api.post("/v1/conventions/\(awaiting)/signatures", ["partner_id": .string(a), "signatory": "Anne"]).status, 201)
        let awaitingDigest = try XCTUnwrap(try api.get("/v1/conventions/\(awaiting)").json?["text_sha256"]?.stringValue)
        let draft = try fixtures.convention(project: project, parties: [(a, 1), (c, 2)])
        return Served(conventionInForce: inForce, conventionAwaiting: awaiting, draft: draft, a: a, b: b, c: c,
                      revisions: revisions, awaitingDigest: awaitingDigest)
    }

    /// The document as a release before 0004 stored it; with `instant`, every
    /// signature and application dated that same second.
    private static func aged(_ text: String, instant: String?) throws -> String {
        guard case .object(var document) = try JSON.parse(text) else { throw TestFailure("not an object: \(text)") }
        for key in newTextMembers { document.removeValue(forKey: key) }
        document.removeValue(forKey: "text_sha256")
        if let instant {
            for key in ["signed_at", "applied_at"] where document[key].map({ !$0.isNull }) ?? false { document[key] = .string(instant) }
        }
        for key in ["parties", "signatures"] {
            guard let items = document[key]?.arrayValue else { continue }
            document[key] = .array(items.map { item in
                guard case .object(var object) = item else { return item }
                for member in newPartyMembers { object.removeValue(forKey: member) }
                if let instant, object["signed_at"].map({ !$0.isNull }) ?? false { object["signed_at"] = .string(instant) }
                if let contributions = object["contributions"]?.arrayValue {
                    object["contributions"] = .array(contributions.map { contribution in
                        guard case .object(var c) = contribution else { return contribution }
                        for member in newContributionMembers { c.removeValue(forKey: member) }
                        return .object(c)
                    })
                }
                return .object(object)
            })
        }
        return JSON.object(document).serialized()
    }

    /// A database at migration 0003 holding the live server's rows as they were stored before 0004.
    private func oldDatabase(from live: LiveServer, instant: String?) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("entente-old-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("entente.sqlite").path
        let connection = try Connection(path: path, configuration: Configuration(foreignKeys: false))
        defer { connection.close() }
        let applied = try Registry.migrate(connection, with: Migrator(directory: try migrationsFolder(upTo: 3)))
        XCTAssertEqual(applied.map(\.version), [1, 2, 3])
        XCTAssertNil(try connection.queryOne("SELECT 1 FROM sqlite_master WHERE name = 'people'"), "0004 is not applied yet")

        try connection.run("ATTACH DATABASE ? AS live", [live.databasePath])
        let tables = try connection.query("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY rowid")
            .compactMap { $0.string("name") }
        for table in tables {
            let columns = try connection.query("SELECT name FROM pragma_table_info(?, 'main')", [table]).compactMap { $0.string("name") }
            let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            try connection.run("INSERT INTO main.\"\(table)\" (\(list)) SELECT \(list) FROM live.\"\(table)\"")
        }
        try connection.run("DETACH DATABASE live")

        for (table, key) in [("conventions", "id"), ("amendments", "rowid"), ("convention_revisions", "rowid")] {
            for row in try connection.query("SELECT \(key) AS k, document FROM \(table)") {
                let document = try XCTUnwrap(row.string("document"))
                try connection.run("UPDATE \(table) SET document = ? WHERE \(key) = ?", [try Self.aged(document, instant: instant), row["k"]])
            }
        }
        if let instant {
            try connection.run("UPDATE convention_revisions SET applied_at = ?, applied_on = substr(?, 1, 10)", [instant, instant])
        }
        return directory
    }

    private func document(_ connection: Connection, _ sql: String, _ arguments: [any SQLiteBindable]) throws -> JSON {
        let text = try XCTUnwrap(try connection.queryOne(sql, arguments)?.string("document"), sql)
        return try JSON.parse(text)
    }

    private func party(_ document: JSON, _ partner: String) -> JSON? {
        document["parties"]?.arrayValue?.first { $0["partner_id"]?.stringValue == partner }
    }

    /// Migrates an old database to 0004 and checks every digest it wrote.
    private func checkMigration(of directory: URL, served s: Served, label: String) throws {
        let path = directory.appendingPathComponent("entente.sqlite").path
        let connection = try Connection(path: path)
        defer { connection.close() }
        let before = (
            revisions: try connection.query("SELECT convention_id, revision, document FROM convention_revisions ORDER BY convention_id, revision"),
            draft: try connection.queryOne("SELECT document FROM conventions WHERE id = ?", [s.draft]),
            open: try connection.queryOne("SELECT document FROM amendments WHERE convention_id = ? AND number = 3", [s.conventionInForce])
        )

        let applied = try Registry.migrate(connection, with: Migrator(directory: try migrationsFolder(upTo: 4)))
        XCTAssertEqual(applied.map(\.version), [4], label)

        // Revisions: the digest served before, which the documented recipe gives for the stored text; the text untouched.
        let revisions = try connection.query("SELECT revision, document, text_sha256 FROM convention_revisions WHERE convention_id = ? ORDER BY revision",
                                             [s.conventionInForce])
        XCTAssertEqual(revisions.count, 3, label)
        for row in revisions {
            let number = Int(row.int("revision") ?? 0)
            let stored = try XCTUnwrap(row.string("document"))
            XCTAssertFalse(stored.contains("authorised_signatories"), "\(label): the old text lacks the flag")
            XCTAssertEqual(row.string("text_sha256"), s.revisions[number], "\(label): revision \(number)")
            XCTAssertEqual(TextDigest.of(documentText: stored), s.revisions[number], "\(label): revision \(number) recomputed")
            XCTAssertEqual(try SignatureBindingDigest.documented(Array(stored.utf8)), s.revisions[number], "\(label): revision \(number) by jq")
        }
        XCTAssertEqual(try connection.query("SELECT convention_id, revision, document FROM convention_revisions ORDER BY convention_id, revision"),
                       before.revisions, "\(label): revision texts are never rewritten")

        // The parties of the convention in force: A and B signed revision 1, C the amendment that made revision 2.
        let inForce = try document(connection, "SELECT document FROM conventions WHERE id = ?", [s.conventionInForce])
        XCTAssertEqual(party(inForce, s.a)?["text_sha256"]?.stringValue, s.revisions[1], "\(label): A")
        XCTAssertEqual(party(inForce, s.b)?["text_sha256"]?.stringValue, s.revisions[1], "\(label): B")
        XCTAssertEqual(party(inForce, s.c)?["text_sha256"]?.stringValue, s.revisions[2], "\(label): C joined by amendment 1")
        XCTAssertEqual(inForce["parties"]?.arrayValue?.compactMap { $0["partner_id"]?.stringValue }, [s.a, s.b, s.c], "\(label): order kept")
        XCTAssertEqual(inForce["governance"]?["majority"], .double(66.5), label)

        // Applied amendments and their signatures: the revision each produced.
        for (number, revision) in [(1, 2), (2, 3)] {
            let amendment = try document(connection, "SELECT document FROM amendments WHERE convention_id = ? AND number = ?", [s.conventionInForce, number])
            XCTAssertEqual(amendment["text_sha256"]?.stringValue, s.revisions[revision], "\(label): amendment \(number)")
            let signatures = amendment["signatures"]?.arrayValue ?? []
            XCTAssertEqual(signatures.count, 3, label)
            for signature in signatures {
                XCTAssertEqual(signature["text_sha256"]?.stringValue, s.revisions[revision], "\(label): amendment \(number) signature")
            }
        }
        XCTAssertEqual(try connection.queryOne("SELECT document FROM amendments WHERE convention_id = ? AND number = 3", [s.conventionInForce]),
                       before.open, "\(label): the open amendment is left as it was")

        // Awaiting signatures: A signed the current text; B has not signed.
        let awaiting = try document(connection, "SELECT document FROM conventions WHERE id = ?", [s.conventionAwaiting])
        XCTAssertEqual(party(awaiting, s.a)?["text_sha256"]?.stringValue, s.awaitingDigest, label)
        XCTAssertTrue(party(awaiting, s.b)?["text_sha256"].map(\.isNull) ?? true, "\(label): \(awaiting)")
        XCTAssertEqual(try connection.queryOne("SELECT document FROM conventions WHERE id = ?", [s.draft]), before.draft, "\(label): the draft is untouched")
    }

    func testMigration0004GivesStoredTextsAndSignaturesTheirDigests() throws {
        let live = try LiveServer()
        let served = try makeHistory(live)

        // Real timestamps, and a pipeline so fast every signature and revision fell in one second.
        try checkMigration(of: try oldDatabase(from: live, instant: nil), served: served, label: "real timestamps")
        try checkMigration(of: try oldDatabase(from: live, instant: "2026-05-04T10:00:00Z"), served: served, label: "one second")

        // The migrated database, served: every digest matches the served text.
        let directory = try oldDatabase(from: live, instant: nil)
        try checkMigration(of: directory, served: served, label: "served")
        let migrated = try LiveServer(directory: directory)
        let api = migrated.client()
        let path = "/v1/conventions/\(served.conventionInForce)"
        for revision in 1...3 {
            let response = try api.get("\(path)/revisions/\(revision)")
            XCTAssertEqual(response.status, 200, response.text)
            XCTAssertEqual(response.json?["text_sha256"]?.stringValue, served.revisions[revision])
            XCTAssertEqual(try SignatureBindingDigest.documented(response.body), served.revisions[revision], "revision \(revision) by jq")
        }
        let current = try api.get(path)
        XCTAssertEqual(current.status, 200, current.text)
        XCTAssertEqual(current.json?["text_sha256"]?.stringValue, served.revisions[3])
        XCTAssertEqual(current.json?["authorised_signatories"], false)
        // The open amendment learns its digest from the text it would produce; signing it applies it.
        let open = try api.get("\(path)/amendments/3")
        XCTAssertEqual(open.status, 200, open.text)
        let openDigest = try XCTUnwrap(open.json?["text_sha256"]?.stringValue)
        for partner in [served.b, served.c] {
            let signed = try api.post("\(path)/amendments/3/signatures", ["partner_id": .string(partner), "signatory": "Signataire",
                                                                           "text_sha256": .string(openDigest)])
            XCTAssertEqual(signed.status, 201, signed.text)
        }
        XCTAssertEqual(try api.get("\(path)/revisions/4").json?["text_sha256"]?.stringValue, openDigest)
        // The convention awaiting signatures can be finished with the digest A signed.
        let awaiting = "/v1/conventions/\(served.conventionAwaiting)"
        let last = try api.post("\(awaiting)/signatures", ["partner_id": .string(served.b), "signatory": "Bruno", "text_sha256": .string(served.awaitingDigest)])
        XCTAssertEqual(last.status, 201, last.text)
        XCTAssertEqual(last.json?["status"], "in_force")
        XCTAssertEqual(try api.get("\(awaiting)/revisions/1").json?["text_sha256"]?.stringValue, served.awaitingDigest)
    }
}

/// The documented recipe (docs/signatures.md): `jq -jcS '<program>' | sha256sum`.
enum SignatureBindingDigest {
    static func documented(_ body: [UInt8]) throws -> String {
        let canonical = try Subprocess.run("jq", ["-jcS", SignatureBindingTests.jqProgram], input: body)
        let sum = String(decoding: try Subprocess.run("sha256sum", [], input: canonical), as: UTF8.self)
        return String(sum.prefix(while: { !$0.isWhitespace }))
    }
}
