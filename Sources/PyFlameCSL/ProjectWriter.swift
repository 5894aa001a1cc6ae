import Foundation

/// Writes a ``CSLProject`` into a folder atomically: the files go into a temporary folder beside it, an old
/// folder is moved aside, the new one renamed into place, then the old one removed (Linux cannot rename
/// over a non-empty folder). A folder that is not empty and has no project marker is someone else's and
/// is refused unless `force`. On any failure the old folder is back where it was.
public enum ProjectWriter {
    public static func write(_ project: CSLProject, to folder: String, force: Bool) throws(EmitError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: folder).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: target.path, isDirectory: &isDirectory)
        if exists {
            guard isDirectory.boolValue else { throw EmitError("\(folder) is a file, not a folder") }
            let contents = (try? fm.contentsOfDirectory(atPath: target.path)) ?? []
            if !contents.isEmpty && !contents.contains(CSLProject.markerName) && !force {
                throw EmitError("\(folder) is not empty and was not written by :emit (no \(CSLProject.markerName)); --force replaces it")
            }
        }
        do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
            throw EmitError("cannot create \(parent.path): \(error.localizedDescription)")
        }
        let tag = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let temporary = parent.appendingPathComponent(".\(name).new-\(tag)")
        let aside = parent.appendingPathComponent(".\(name).old-\(tag)")
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
            for file in project.files {
                try Data(file.bytes).write(to: temporary.appendingPathComponent(file.name))
                if file.name.hasSuffix(".sh") || file.name == "run.py" {
                    try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary.appendingPathComponent(file.name).path)
                }
            }
        } catch {
            try? fm.removeItem(at: temporary)
            throw EmitError("cannot write the project beside \(folder): \(error.localizedDescription)")
        }
        if exists {
            guard rename(target.path, aside.path) == 0 else {
                try? fm.removeItem(at: temporary)
                throw EmitError("cannot move the old \(folder) aside: \(String(cString: strerror(errno)))")
            }
        }
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if exists { _ = rename(aside.path, target.path) }
            try? fm.removeItem(at: temporary)
            throw EmitError("cannot rename the new project into \(folder): \(reason)")
        }
        if exists { try? fm.removeItem(at: aside) }
    }
}
