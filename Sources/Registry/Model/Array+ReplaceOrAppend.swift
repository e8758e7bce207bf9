extension Array {
    /// Replaces the first element that `matches` with `element`, or appends
    /// it; true when it was appended.
    mutating func replaceOrAppend(_ element: Element, where matches: (Element) -> Bool) -> Bool {
        guard let index = firstIndex(where: matches) else {
            append(element)
            return true
        }
        self[index] = element
        return false
    }
}
