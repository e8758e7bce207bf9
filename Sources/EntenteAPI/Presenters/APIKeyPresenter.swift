import JSON
import Registry

/// The wire shape of an API key (API.md §2): never its hash; its token only
/// in the answer to its creation, after the other fields.
enum APIKeyPresenter {
    static func json(_ key: APIKey, token: String? = nil) -> JSONObject {
        var object: JSONObject = [
            "id": .string(key.id), "name": .string(key.name), "role": .string(key.role.rawValue), "partner_id": key.partnerID.json,
            "created_at": .string(key.createdAt), "revoked_at": key.revokedAt.json,
            "updated_at": .string(key.updatedAt), "version": .int(Int64(key.version)),
        ]
        if let token { object["token"] = .string(token) }
        return object
    }
}
