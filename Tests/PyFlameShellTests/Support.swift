import Foundation
@testable import PyFlameShell

/// Runs statements in a fresh shell and returns the last one's output text.
@discardableResult
func run(_ shell: Shell, _ statements: String...) -> StatementResult {
    var last = StatementResult()
    for s in statements { last = shell.execute(s) }
    return last
}

/// A fresh temporary folder, removed by the caller.
func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("pfs-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
