import Foundation
import PyFlameIR

/// Writes a ``CSLProject`` into a folder atomically: the files go into a temporary folder beside it
/// (`.NAME.new-PID-RAND`, the project marker written first), an old folder is moved aside
/// (`.NAME.old-PID-RAND`), the new one renamed into place, then the old one removed (Linux cannot rename
/// over a non-empty folder). A folder that is not empty and has no project marker is someone else's and
/// is refused unless `force`. On any failure the old folder is back where it was. A symlink to a folder is
/// followed (the project replaces the folder it points to, the link stays). Temporary folders that an
/// emit killed mid-way left behind are removed by the next emit into the same folder (see
/// ``removeStaleFolders(beside:name:)``).
public enum ProjectWriter {
    /// Temporary and set-aside folders of an emit whose process still runs are removed after this long
    /// (a PID may have been reused by an unrelated process).
    public static let staleAge: TimeInterval = 24 * 60 * 60

    /// `keeping`: folders the project must never replace, nor any folder holding them (the running script's
    /// folder); the working directory, the home folder and `/` are always kept, even with `force`.
    public static func write(_ project: CSLProject, to folder: String, force: Bool, keeping: [String] = []) throws(EmitError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: SafeFileWriter.finalPath(URL(fileURLWithPath: folder).standardizedFileURL.path)).standardizedFileURL
        let real = target.resolvingSymlinksInPath().standardizedFileURL.path
        for kept in [fm.currentDirectoryPath, NSHomeDirectory(), "/"] + keeping where !kept.isEmpty {
            let keptPath = URL(fileURLWithPath: kept).resolvingSymlinksInPath().standardizedFileURL.path
            if keptPath == real || keptPath.hasPrefix(real == "/" ? "/" : real + "/") {
                throw EmitError(.keptFolder(folder: folder, kept: keptPath))
            }
        }
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: target.path, isDirectory: &isDirectory)
        var oldMode: mode_t?
        if exists {
            guard isDirectory.boolValue else { throw EmitError(.notAFolder(folder: folder)) }
            do { try SafeFileWriter.requireWritable(target.path, shown: folder) } catch { throw EmitError(.write(reason: error.message)) }
            let contents = (try? fm.contentsOfDirectory(atPath: target.path)) ?? []
            if !contents.isEmpty && !contents.contains(CSLProject.markerName) && !force {
                throw EmitError(.notOurs(folder: folder))
            }
            // An earlier emission's folder may hold files added since (notes, hand edits in new files): those
            // are not replaced silently. Ours are the files its marker lists, this project's, and `out` (what
            // cslc writes there); a marker that lists no files (an older emission) vouches for everything.
            let listed = Self.listedFiles(inMarkerOf: target.path)
            let ours = Set(project.files.map(\.name) + [CSLProject.markerName, "out"] + (listed ?? []))
            let added = listed == nil ? [] : contents.filter { !ours.contains($0) }.sorted()
            if contents.contains(CSLProject.markerName) && !added.isEmpty && !force {
                throw EmitError(.addedFiles(folder: folder, files: added))
            }
            var info = stat()
            if stat(target.path, &info) == 0 { oldMode = info.st_mode & 0o7777 }
        }
        do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
            let reason = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
            throw EmitError(.cannotCreate(path: parent.path, reason: reason ?? error.localizedDescription))
        }
        removeStaleFolders(beside: parent.path, name: name)
        let tag = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let temporary = parent.appendingPathComponent(".\(name).new-\(tag)")
        let aside = parent.appendingPathComponent(".\(name).old-\(tag)")
        guard mkdir(temporary.path, 0o777) == 0 else {
            throw EmitError(.cannotWriteBeside(folder: folder, reason: String(cString: strerror(errno))))
        }
        do {
            // The marker first: a folder left by an emit killed mid-way is recognisably ours.
            let files = project.files.filter { $0.name == CSLProject.markerName } + project.files.filter { $0.name != CSLProject.markerName }
            for file in files {
                let executable = file.name.hasSuffix(".sh") || file.name == "run.py"
                // The marker lists the files written, so a later emission knows which ones are its own.
                let bytes =
                    file.name == CSLProject.markerName
                    ? file.bytes + Array((Self.filesLinePrefix + files.map(\.name).filter { $0 != CSLProject.markerName }.joined(separator: " ") + "\n").utf8)
                    : file.bytes
                try SafeFileWriter.writeNew(
                    bytes, at: temporary.appendingPathComponent(file.name).path, mode: executable ? 0o755 : nil,
                    shown: (folder as NSString).appendingPathComponent(file.name))
            }
            if let oldMode { _ = chmod(temporary.path, oldMode) }
        } catch {
            try? fm.removeItem(at: temporary)
            throw EmitError(.write(reason: error.message))
        }
        if exists {
            guard rename(target.path, aside.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? fm.removeItem(at: temporary)
                throw EmitError(.cannotMoveAside(folder: folder, reason: reason))
            }
        }
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            if exists { _ = rename(aside.path, target.path) }
            try? fm.removeItem(at: temporary)
            throw EmitError(.cannotRename(folder: folder, reason: reason))
        }
        if exists { try? fm.removeItem(at: aside) }
    }

    /// Removes `.NAME.new-PID-RAND` and `.NAME.old-PID-RAND` folders in `parent` that an emit left behind
    /// when it was killed: only ours (the pattern, and the project marker inside), and only stale (the PID
    /// no longer runs, or the folder is older than ``staleAge``). Everything else is left alone.
    public static func removeStaleFolders(beside parent: String, name: String, now: Date = Date()) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: parent) else { return }
        for entry in entries {
            guard let pid = emitProcess(entry, name: name) else { continue }
            let path = (parent as NSString).appendingPathComponent(entry)
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR,
                lstat((path as NSString).appendingPathComponent(CSLProject.markerName), &info) == 0
            else { continue }
            let age = now.timeIntervalSince1970 - TimeInterval(info.st_mtim.tv_sec)
            let running = pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
            if !running || age > staleAge { try? fm.removeItem(atPath: path) }
        }
    }

    /// The PID in `.NAME.new-PID-RAND` or `.NAME.old-PID-RAND`; nil for any other name.
    static func emitProcess(_ entry: String, name: String) -> pid_t? {
        for kind in ["new", "old"] {
            let prefix = ".\(name).\(kind)-"
            guard entry.hasPrefix(prefix) else { continue }
            let parts = entry.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, UInt32(parts[1]) != nil else { return nil }
            return pid
        }
        return nil
    }

    /// The marker's line that lists the files an emission wrote.
    static let filesLinePrefix = "files: "

    /// The files the project marker in `folder` lists, or nil when it lists none (or cannot be read).
    static func listedFiles(inMarkerOf folder: String) -> [String]? {
        guard let text = try? String(contentsOfFile: folder + "/" + CSLProject.markerName, encoding: .utf8) else { return nil }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(filesLinePrefix) }) else { return nil }
        return line.dropFirst(filesLinePrefix.count).split(separator: " ").map(String.init)
    }
}
