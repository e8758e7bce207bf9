import JSON
import Registry

/// The wire shape of a partner: its JSON object is the audited record the
/// registry keeps (`Partner.json`, which audit entries and webhook events carry
/// too); the CSV columns of its list are named here.
enum PartnerPresenter {
    static let csvColumns = ["id", "name", "kind", "legal_name", "country", "city", "website", "email", "expertise", "description", "created_at", "updated_at", "version"]

    static func json(_ partner: Partner) -> JSONObject {
        partner.json
    }
}
