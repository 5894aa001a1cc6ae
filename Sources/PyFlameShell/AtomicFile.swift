import Foundation

/// Writes files the safe way: into a temporary file beside the target, then a rename, so a reader
/// (or a second shell) sees the old file or the new one, never half of one.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(IRErrorText) {
        // Never rename over what is not a regular file: a device (/dev/null), a pipe or a socket is
        // written in place, a folder is refused.
        var info = stat()
        if lstat(path, &info) == 0 {
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR { throw IRErrorText("\(path) is a folder") }
            if kind != S_IFREG && kind != S_IFLNK {
                guard let handle = FileHandle(forWritingAtPath: path) else { throw IRErrorText("cannot write \(path)") }
                handle.write(Data(bytes))
                try? handle.close()
                return
            }
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw IRErrorText("no such folder: \(folder)")
        }
        let temporary = folder + "/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw IRErrorText("cannot write \(path)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw IRErrorText("cannot write \(path): \(reason)")
        }
    }

    public static func write(_ text: String, to path: String) throws(IRErrorText) {
        try write(Array(text.utf8), to: path)
    }
}

/// A plain error message from file handling.
public struct IRErrorText: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
