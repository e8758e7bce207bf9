import SQLite

/// The single place where a partner key's world is turned into SQL: every
/// scoped query goes through these conditions (API.md §2).
enum ScopeFilter {
    typealias Condition = (sql: String, arguments: [any SQLiteBindable])

    /// A condition on a row whose project id is in `column`.
    static func project(_ scope: Scope, column: String) -> Condition? {
        guard let partner = scope.partnerID else { return nil }
        return ("EXISTS (SELECT 1 FROM project_partners pp WHERE pp.project_id = \(column) AND pp.partner_id = ?)", [partner])
    }

    /// A condition on a row whose convention id is in `column`.
    static func convention(_ scope: Scope, column: String) -> Condition? {
        guard let partner = scope.partnerID else { return nil }
        return ("EXISTS (SELECT 1 FROM convention_parties cp WHERE cp.convention_id = \(column) AND cp.partner_id = ?)", [partner])
    }

    /// A condition on a person row whose id is in `column`: the people affiliated
    /// (at any date) to the partner or to a co-party of one of its conventions.
    static func person(_ scope: Scope, column: String) -> Condition? {
        guard let partner = scope.partnerID else { return nil }
        return ("""
            EXISTS (SELECT 1 FROM person_affiliations pa WHERE pa.person_id = \(column) AND (pa.partner_id = ? OR pa.partner_id IN (
                SELECT co.partner_id FROM convention_parties own JOIN convention_parties co ON co.convention_id = own.convention_id
                WHERE own.partner_id = ?)))
            """, [partner, partner])
    }

    /// A condition on an audit row whose seq is in `column`.
    static func audit(_ scope: Scope, column: String) -> Condition? {
        guard let partner = scope.partnerID else { return nil }
        return ("EXISTS (SELECT 1 FROM audit_partners ap WHERE ap.audit_seq = \(column) AND ap.partner_id = ?)", [partner])
    }
}

/// A `SELECT … WHERE … ORDER BY seq LIMIT ?` assembled from optional filters,
/// every value bound as a parameter.
struct ListQuery {
    private let base: String
    private var conditions: [String] = []
    private var arguments: [any SQLiteBindable] = []

    init(_ base: String) {
        self.base = base
    }

    mutating func filter(_ sql: String, _ values: any SQLiteBindable...) {
        conditions.append(sql)
        arguments.append(contentsOf: values)
    }

    mutating func filter(_ condition: ScopeFilter.Condition?) {
        guard let condition else { return }
        conditions.append(condition.sql)
        arguments.append(contentsOf: condition.arguments)
    }

    /// Rows after `page.after` in `seq` order, one more than the limit.
    func run(_ db: Connection, seqColumn: String, page: PageRequest, descending: Bool = false) throws -> [Row] {
        var all = conditions
        var values = arguments
        if page.after > 0 {
            all.append("\(seqColumn) \(descending ? "<" : ">") ?")
            values.append(page.after)
        }
        var sql = base
        if !all.isEmpty { sql += " WHERE " + all.joined(separator: " AND ") }
        sql += " ORDER BY \(seqColumn) \(descending ? "DESC" : "ASC") LIMIT ?"
        values.append(page.sqlLimit)
        return try db.query(sql, values)
    }
}

extension Connection {
    /// The first row of `sql` (which ends in a WHERE clause), narrowed by a scope condition.
    func queryOne(_ sql: String, _ arguments: [any SQLiteBindable], scopedBy condition: ScopeFilter.Condition?) throws -> Row? {
        guard let condition else { return try queryOne(sql, arguments) }
        return try queryOne(sql + " AND " + condition.sql, arguments + condition.arguments)
    }
}
