import JSON
import Registry

/// The wire shape of an indicator (API.md §8), with its latest value and
/// progress, and of its measurements.
enum IndicatorPresenter {
    static func json(_ indicator: Indicator) -> JSONObject {
        [
            "id": .string(indicator.id), "project_id": .string(indicator.projectID), "name": .string(indicator.name), "unit": .string(indicator.unit),
            "baseline": indicator.baseline.map(JSON.double) ?? .null, "target": .double(indicator.target), "direction": .string(indicator.direction),
            "latest": indicator.latest.map(JSON.double) ?? .null, "measurement_count": .int(Int64(indicator.measurementCount)),
            "progress": indicator.progress.map(JSON.double) ?? .null,
            "created_at": .string(indicator.createdAt), "updated_at": .string(indicator.updatedAt), "version": .int(Int64(indicator.version)),
        ]
    }

    static func json(_ measurement: Measurement) -> JSONObject {
        ["id": .string(measurement.id), "indicator_id": .string(measurement.indicatorID), "value": .double(measurement.value),
         "measured_on": .string(measurement.measuredOn), "note": measurement.note.json, "created_at": .string(measurement.createdAt),
         "updated_at": .string(measurement.updatedAt), "version": .int(Int64(measurement.version))]
    }
}
