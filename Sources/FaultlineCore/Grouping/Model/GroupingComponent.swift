/// A node of a grouping component tree, the shape of Sentry's "grouping info": what each part of an event
/// contributed to a hash, and why a part did not.
public struct GroupingComponent: Sendable, Hashable {
    /// The component id (`frame`, `module`, `function`, `stacktrace`, `exception`, `chained-exception`, …).
    public var id: String
    /// Whether the component's values go into the hash.
    public var contributes: Bool
    /// Why the component contributes or not (`ignored because module takes precedence`).
    public var hint: String?
    /// Child components and leaf values, in hash order.
    public var values: [Value]

    /// A child component or a leaf value.
    public enum Value: Sendable, Hashable {
        case component(GroupingComponent)
        case string(String)
        case int(Int)
    }

    /// A component; `contributes` defaults to whether it has a leaf value or a contributing child, as in Sentry.
    public init(id: String, values: [Value] = [], contributes: Bool? = nil, hint: String? = nil) {
        self.id = id
        self.values = values
        self.hint = hint
        self.contributes = contributes ?? values.contains { value in
            switch value {
            case .component(let child): return child.contributes
            case .string, .int: return true
            }
        }
    }

    /// The leaf values that go into the hash: a depth-first walk that descends only into contributing
    /// components. Ints are their decimal text.
    public var hashedValues: [String] {
        guard contributes else { return [] }
        var leaves: [String] = []
        for value in values {
            switch value {
            case .component(let child): leaves += child.hashedValues
            case .string(let text): leaves.append(text)
            case .int(let number): leaves.append(String(number))
            }
        }
        return leaves
    }
}
