/// Why the history file could not be read, locked or written: a message for the person (the shell goes on
/// without saving history).
public struct HistoryError: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
