import JSON
import SQLite

/// A shared success indicator of a project (API.md §8), with its progress.
public struct Indicator: Sendable {
    public let id: String
    public let projectID: String
    public let name: String
    public let unit: String
    public let baseline: Double?
    public let target: Double
    public let direction: String
    public let latest: Double?
    public let measurementCount: Int
    public let createdAt: String
    public let updatedAt: String
    public let version: Int

    /// (latest − baseline) / (target − baseline), baseline 0 by default; null without measurements.
    public var progress: Double? {
        guard let latest else { return nil }
        let base = baseline ?? 0
        guard target != base else { return latest == target ? 1 : 0 }
        return (latest - base) / (target - base)
    }

    /// What the audit entry `indicator.created` records (its `changes`):
    /// the indicator as created, progress included.
    var auditRecord: JSONObject {
        [
            "id": .string(id), "project_id": .string(projectID), "name": .string(name), "unit": .string(unit),
            "baseline": baseline.map(JSON.double) ?? .null, "target": .double(target), "direction": .string(direction),
            "latest": latest.map(JSON.double) ?? .null, "measurement_count": .int(Int64(measurementCount)),
            "progress": progress.map(JSON.double) ?? .null,
            "created_at": .string(createdAt), "updated_at": .string(updatedAt), "version": .int(Int64(version)),
        ]
    }

    init(row: Row) throws(CorruptRecord) {
        let stored = StoredRecord(row: row, table: "indicators")
        id = try stored.string("id")
        projectID = try stored.string("project_id")
        name = try stored.string("name")
        unit = try stored.string("unit")
        baseline = try stored.optionalDouble("baseline")
        target = try stored.double("target")
        direction = try stored.string("direction")
        latest = try stored.optionalDouble("latest")
        measurementCount = Int(try stored.int("measurement_count"))
        createdAt = try stored.string("created_at")
        updatedAt = try stored.string("updated_at")
        version = Int(try stored.int("version"))
    }

    /// The indicator with its latest value: the measurement with the latest
    /// `measured_on`, the last recorded among equals.
    static let select = """
        SELECT i.*, (SELECT m.value FROM measurements m WHERE m.indicator_id = i.id ORDER BY m.measured_on DESC, m.seq DESC LIMIT 1) AS latest,
               (SELECT count(*) FROM measurements m WHERE m.indicator_id = i.id) AS measurement_count
        FROM indicators i
        """
}

/// One measured value of an indicator.
public struct Measurement: Sendable {
    public let id: String
    /// Its place in the order of recording: the key of the list's cursor.
    public let seq: Int64
    public let indicatorID: String
    public let value: Double
    public let measuredOn: String
    public let note: String?
    public let createdAt: String

    /// What the audit entry `indicator.measured` records (its `changes`).
    var auditRecord: JSONObject {
        ["id": .string(id), "indicator_id": .string(indicatorID), "value": .double(value), "measured_on": .string(measuredOn),
         "note": note.json, "created_at": .string(createdAt)]
    }

    init(row: Row) throws(CorruptRecord) {
        let stored = StoredRecord(row: row, table: "measurements")
        id = try stored.string("id")
        seq = try stored.int("seq")
        indicatorID = try stored.string("indicator_id")
        value = try stored.double("value")
        measuredOn = try stored.string("measured_on")
        note = try stored.optionalString("note")
        createdAt = try stored.string("created_at")
    }

    /// A measurement never changes once recorded.
    public var version: Int { 1 }
    public var updatedAt: String { createdAt }
}
