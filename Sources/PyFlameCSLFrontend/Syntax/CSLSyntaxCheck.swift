import Foundation

/// `pyflame-shell check --syntax PATH...`: parses each `.csl` file given (or every `.csl` file under a folder
/// given, in path order) and reports the syntax errors, then `parsed N files: K clean, F with errors`.
public enum CSLSyntaxCheck {
    /// What the check printed and whether any file had an error.
    public struct Report: Sendable {
        public var lines: [String]
        public var filesParsed: Int
        public var filesWithErrors: Int
        public var failed: Bool { filesWithErrors > 0 || !missing.isEmpty }
        /// Paths that are neither a file nor a folder.
        public var missing: [String]
    }

    /// The `.csl` files `paths` name: files as given, folders searched recursively (sorted).
    public static func files(in paths: [String]) -> (files: [String], missing: [String]) {
        var files: [String] = []
        var missing: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(path)
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let base = path.hasSuffix("/") ? path : path + "/"
            let found = (fm.enumerator(atPath: path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".csl") }.sorted()
            files += found.map { base + $0 }
        }
        return (files, missing)
    }

    /// Parses the files `paths` name; `shouldStop` is asked between files (Ctrl-C).
    public static func run(paths: [String], shouldStop: () -> Bool = { false }) -> Report {
        let (files, missing) = files(in: paths)
        var lines = missing.map { "error: no such file or folder: \($0)" }
        var parsed = 0
        var withErrors = 0
        for path in files {
            if shouldStop() {
                lines.append("interrupted")
                break
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                lines.append("\(path): error: cannot read the file")
                withErrors += 1
                parsed += 1
                continue
            }
            let file = CSLSourceFile(path: path, text: String(decoding: data, as: UTF8.self))
            let (_, diagnostics) = CSLParser.parse(file)
            lines += diagnostics.map { $0.rendered(in: file) }
            parsed += 1
            if diagnostics.contains(where: \.isError) { withErrors += 1 }
        }
        lines.append("parsed \(parsed) file\(parsed == 1 ? "" : "s"): \(parsed - withErrors) clean, \(withErrors) with errors")
        return Report(lines: lines, filesParsed: parsed, filesWithErrors: withErrors, missing: missing)
    }
}
