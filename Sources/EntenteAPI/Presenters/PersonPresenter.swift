import JSON
import Registry

/// The wire shape of a person (API.md §12), with their affiliations, fields
/// in the order of API.md, and the CSV columns of its list.
enum PersonPresenter {
    static let csvColumns = ["id", "name", "email", "phone", "languages", "created_at", "updated_at", "version"]

    static func json(_ person: Person) -> JSONObject {
        [
            "id": .string(person.id), "name": .string(person.name), "email": person.email.json, "phone": person.phone.json,
            "languages": .array(person.languages.map(JSON.string)),
            "affiliations": .array(person.affiliations.map { affiliation in
                .object(["partner_id": .string(affiliation.partnerID), "title": affiliation.title.json,
                         "roles": .array(affiliation.roles.map(JSON.string)), "since": affiliation.since.json, "until": affiliation.until.json])
            }),
            "created_at": .string(person.createdAt), "updated_at": .string(person.updatedAt), "version": .int(Int64(person.version)),
        ]
    }
}
