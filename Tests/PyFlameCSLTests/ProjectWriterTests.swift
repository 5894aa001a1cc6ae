import Foundation
import Testing
@testable import PyFlameCSL

@Suite struct ProjectWriterTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-writer-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func project(_ text: String) -> CSLProject {
        CSLProject(
            name: "c",
            files: [
                CSLProject.File(name: "layout.csl", text: text), CSLProject.File(name: "run.py", text: "print(1)\n"),
                CSLProject.File(name: "x.npy", data: [1, 2, 3]),
                CSLProject.File(name: CSLProject.markerName, text: "ours\n"),
            ])
    }

    func listing(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    @Test func writesEveryFileAndReplacesItsOwnFolderLeavingNothingBehind() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = root + "/out/c"
        try ProjectWriter.write(project("one"), to: folder, force: false)
        #expect(listing(folder) == [CSLProject.markerName, "layout.csl", "run.py", "x.npy"])
        #expect(try String(contentsOfFile: folder + "/layout.csl", encoding: .utf8) == "one")
        let mode = try FileManager.default.attributesOfItem(atPath: folder + "/run.py")[.posixPermissions] as? Int
        #expect(mode == 0o755)
        // A file the emission did not write (added since) is not replaced without --force.
        try "mine".write(toFile: folder + "/old.csl", atomically: true, encoding: .utf8)
        #expect(throws: EmitError.self) { try ProjectWriter.write(project("two"), to: folder, force: false) }
        #expect(listing(folder).contains("old.csl"))
        try ProjectWriter.write(project("two"), to: folder, force: true)
        #expect(try String(contentsOfFile: folder + "/layout.csl", encoding: .utf8) == "two")
        #expect(!listing(folder).contains("old.csl"), "a forced re-emit leaves no file of the old folder")
        // Files of the earlier emission that this one does not write are its own: replaced without --force.
        var bigger = project("three")
        bigger.files.append(CSLProject.File(name: "pe_program_9.csl", text: "old role\n"))
        try ProjectWriter.write(bigger, to: folder, force: false)
        try ProjectWriter.write(project("four"), to: folder, force: false)
        #expect(!listing(folder).contains("pe_program_9.csl"))
        #expect(listing(root + "/out") == ["c"], "no temporary or set-aside folder is left")
    }

    @Test func aFolderThatIsNotOursIsRefusedUnlessForced() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = root + "/mine"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "keep me".write(toFile: folder + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(throws: EmitError(.notOurs(folder: folder))) {
            try ProjectWriter.write(project("x"), to: folder, force: false)
        }
        #expect(listing(folder) == ["notes.txt"], "the refused folder is untouched")
        try ProjectWriter.write(project("x"), to: folder, force: true)
        #expect(listing(folder) == [CSLProject.markerName, "layout.csl", "run.py", "x.npy"])
    }

    @Test func anEmptyFolderIsUsedAndAFileIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        try ProjectWriter.write(project("x"), to: root + "/empty", force: false)
        #expect(listing(root + "/empty").contains("layout.csl"))
        try "x".write(toFile: root + "/file", atomically: true, encoding: .utf8)
        #expect(throws: EmitError(.notAFolder(folder: "\(root)/file"))) {
            try ProjectWriter.write(project("x"), to: root + "/file", force: true)
        }
    }
}

/// The project folder follows the same rules as every file the shell writes: a symlink to a folder is
/// followed (the link stays), a read-only folder (no write bit, refused even for root) is left alone.
@Suite struct ProjectTargetTests {
    @Test func aSymlinkedFolderIsReplacedThroughTheLinkAndAReadOnlyOneIsRefused() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-target-\(UUID().uuidString)").path
        defer {
            chmod(root + "/locked", 0o755)
            try? FileManager.default.removeItem(atPath: root)
        }
        let fm = FileManager.default
        let project = CSLProject(
            name: "c",
            files: [
                CSLProject.File(name: "layout.csl", text: "new"),
                CSLProject.File(name: CSLProject.markerName, text: "ours\n"),
            ])
        try fm.createDirectory(atPath: root + "/real/c", withIntermediateDirectories: true)
        #expect(fm.createFile(atPath: root + "/real/c/" + CSLProject.markerName, contents: Data("ours\n".utf8)))
        #expect(symlink("real/c", root + "/c") == 0)
        try ProjectWriter.write(project, to: root + "/c", force: false)
        var info = stat()
        #expect(lstat(root + "/c", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the link was replaced")
        #expect(try String(contentsOfFile: root + "/real/c/layout.csl", encoding: .utf8) == "new")
        #expect(((try? fm.contentsOfDirectory(atPath: root + "/real")) ?? []) == ["c"])
        // A folder whose mode says read-only is refused, and kept as it was.
        try fm.createDirectory(atPath: root + "/locked", withIntermediateDirectories: true)
        #expect(fm.createFile(atPath: root + "/locked/" + CSLProject.markerName, contents: Data("ours\n".utf8)))
        #expect(chmod(root + "/locked", 0o555) == 0)
        #expect(throws: EmitError(.write(reason: "cannot write \(root)/locked: Permission denied (it is read-only: mode 0555)"))) {
            try ProjectWriter.write(project, to: root + "/locked", force: true)
        }
        #expect(((try? fm.contentsOfDirectory(atPath: root + "/locked")) ?? []) == [CSLProject.markerName])
    }
}

/// `:emit` killed mid-way leaves `.NAME.new-PID-RAND` (and `.NAME.old-PID-RAND`) folders beside the project;
/// the next emit removes the stale ones that are ours (the marker inside, the PID no longer running) and
/// nothing else.
@Suite struct StaleEmitFolderTests {
    @Test func theNextEmitRemovesOnlyOurStaleFolders() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-stale-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        // A PID that is not running: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        func folder(_ name: String, marker: Bool) throws {
            try fm.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true)
            if marker { #expect(fm.createFile(atPath: root + "/" + name + "/" + CSLProject.markerName, contents: Data("ours\n".utf8))) }
            #expect(fm.createFile(atPath: root + "/" + name + "/layout.csl", contents: Data("half".utf8)))
        }
        try folder(".c.new-\(dead)-12345", marker: true)  // ours, its emit is gone: removed
        try folder(".c.old-\(dead)-777", marker: true)  // set aside by a killed emit: removed
        try folder(".c.new-\(getpid())-99", marker: true)  // an emit still running (this process): kept
        try folder(".c.new-\(dead)-5", marker: false)  // no marker: not ours, kept
        try folder(".notes", marker: false)  // someone else's: kept
        let project = CSLProject(
            name: "c",
            files: [
                CSLProject.File(name: "layout.csl", text: "x"),
                CSLProject.File(name: CSLProject.markerName, text: "ours\\n"),
            ])
        try ProjectWriter.write(project, to: root + "/c", force: false)
        let names = try fm.contentsOfDirectory(atPath: root).sorted()
        #expect(names == [".c.new-\(dead)-5", ".c.new-\(getpid())-99", ".notes", "c"].sorted())
    }
}
