extension JSON {
    /// Applies `patch` to this value as a JSON Merge Patch (RFC 7396 §2).
    ///
    /// A non-object patch replaces the target. An object patch is applied member by
    /// member to the target (a non-object target counts as `{}`): `null` removes the
    /// member, any other value is merged recursively into it.
    public func mergePatched(with patch: JSON) -> JSON {
        guard case .object(let patchMembers) = patch else { return patch }
        var result = objectValue ?? JSONObject()
        for (key, value) in patchMembers {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = (result[key] ?? .null).mergePatched(with: value)
            }
        }
        return .object(result)
    }
}
