import Foundation
import Registry

/// `entente keys create`: a new API key in an existing database; the token on stdout, once.
enum KeysCreate {
    static func run(_ arguments: Arguments) throws {
        let name = try arguments.required("--name")
        let roleName = try arguments.required("--role")
        guard let role = Role(rawValue: roleName) else {
            throw UsageError("--role must be admin, editor, reader or partner, not '\(roleName)'")
        }
        let partner = arguments.value("--partner")
        if (role == .partner) != (partner != nil) {
            throw UsageError("--partner goes with --role partner, and only with it")
        }
        let (database, _) = try Database.open(arguments, mustExist: true)
        defer { database.pool.close() }
        let (key, token) = try database.registry.createKey(name: name, role: role, partnerID: partner)
        FileHandle.standardError.write(Data("Created API key \(key.id) (\(role.rawValue)). Its token, shown once:\n".utf8))
        print(token)
    }
}
