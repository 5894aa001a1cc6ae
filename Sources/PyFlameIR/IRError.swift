/// An error raised while building or evaluating the IR. The message is the user-facing text
/// (PyFlame's wording where it has one); `operand` says which operand of the op it is about, so a
/// front end can put its caret there.
public struct IRError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var operand: Int?

    public init(_ message: String, operand: Int? = nil) {
        self.message = message
        self.operand = operand
    }

    public var description: String { message }
}
