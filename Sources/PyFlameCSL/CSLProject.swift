import Foundation

/// An emitted CSL project: `layout.csl`, one PE program per role, `run.py`, `commands.sh`, the `.npy`
/// files `run.py` copies in and compares with, and the marker that says the folder is pyflame-shell's.
public struct CSLProject: Sendable {
    /// One file of the project, relative to its folder.
    public struct File: Sendable, Equatable {
        public var name: String
        public var bytes: [UInt8]
        /// True for files a person reads (`:csl` prints them); false for `.npy` data.
        public var isText: Bool

        public init(name: String, text: String) {
            self.name = name
            self.bytes = Array(text.utf8)
            self.isText = true
        }

        public init(name: String, data: [UInt8]) {
            self.name = name
            self.bytes = data
            self.isText = false
        }

        public var text: String { String(decoding: bytes, as: UTF8.self) }

        /// The text as lines, without the final newline's empty line (what `:csl` prints).
        public var lines: [String] {
            text.trimmingTrailingNewlines().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// The name of the program (the node whose cone it computes).
    public var name: String
    public var files: [File]

    /// The file called `name`, if the project has it.
    public func file(_ name: String) -> File? { files.first { $0.name == name } }

    /// The marker file that says a folder was written by pyflame-shell (and may be replaced by `:emit`).
    public static let markerName = ".pyflame-shell-project"
}
