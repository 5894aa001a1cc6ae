/// Why a program cannot be lowered: names the op, the PE or the color, and what would fit.
public struct LoweringError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// The lowering was asked to stop (Ctrl-C) before it finished.
    public static let interrupted = LoweringError("interrupted: the lowering was stopped before it finished")
}
