import JSON
import Registry

/// The wire shape of a partner (API.md §3), fields in the order of API.md,
/// and the CSV columns of its list.
enum PartnerPresenter {
    static let csvColumns = ["id", "name", "kind", "legal_name", "country", "city", "website", "email", "expertise", "description", "created_at", "updated_at", "version"]

    static func json(_ partner: Partner) -> JSONObject {
        [
            "id": .string(partner.id), "name": .string(partner.name), "kind": .string(partner.kind),
            "legal_name": partner.legalName.json, "country": partner.country.json, "city": partner.city.json,
            "website": partner.website.json, "email": partner.email.json,
            "expertise": .array(partner.expertise.map(JSON.string)), "description": partner.description.json,
            "created_at": .string(partner.createdAt), "updated_at": .string(partner.updatedAt), "version": .int(Int64(partner.version)),
        ]
    }
}
