import Foundation
import Testing

/// Every module a target imports is one of its dependencies (directly or through them), as Package.swift
/// declares them. An incremental build lets an undeclared import through when the module happens to be
/// built already; a clean build (CI's) then fails on it. This finds it before CI does.
@Suite struct PackageImportTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Target name → the target and product names in its `dependencies: [...]`, read from Package.swift.
    static func declaredDependencies() throws -> [String: [String]] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        var result: [String: [String]] = [:]
        // Each target declaration starts at `.target(`, `.testTarget(`, `.executableTarget(` or `.systemLibrary(`.
        let starts = [".target(", ".testTarget(", ".executableTarget(", ".systemLibrary("]
        var declarations: [Substring] = []
        var rest = text[...]
        while let start = starts.compactMap({ rest.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            let after = rest[start.upperBound...]
            let end = starts.compactMap { after.range(of: $0)?.lowerBound }.min() ?? after.endIndex
            declarations.append(after[..<end])
            rest = after[end...]
        }
        for declaration in declarations {
            guard let name = declaration.firstMatch(of: /name:\s*"([^"]+)"/)?.1 else { continue }
            var names: [String] = []
            if let list = declaration.firstMatch(of: /dependencies:\s*\[([\s\S]*?)\]\s*(,|\))/)?.1 {
                for match in list.matches(of: /"([^"]+)"/) { names.append(String(match.1)) }
            }
            result[String(name)] = names
        }
        return result
    }

    @Test func everyImportIsADeclaredDependency() throws {
        let dependencies = try Self.declaredDependencies()
        #expect(dependencies.count >= 15, "read only \(dependencies.keys.sorted()) from Package.swift")
        // Products of other packages, as imported.
        let external = ["ArgumentParser": "swift-argument-parser", "Mustache": "swift-mustache"]
        func closure(_ target: String) -> Set<String> {
            var seen: Set<String> = [target]
            var stack = [target]
            while let t = stack.popLast() {
                for d in dependencies[t] ?? [] where !seen.contains(d) {
                    seen.insert(d)
                    stack.append(d)
                }
            }
            return seen
        }
        var undeclared: [String] = []
        for folder in ["Sources", "Tests"] {
            let base = Self.root.appendingPathComponent(folder)
            for target in try FileManager.default.contentsOfDirectory(atPath: base.path) where dependencies[target] != nil {
                let reachable = closure(target)
                guard let files = FileManager.default.enumerator(atPath: base.appendingPathComponent(target).path) else { continue }
                for case let file as String in files where file.hasSuffix(".swift") {
                    let text = try String(contentsOf: base.appendingPathComponent(target).appendingPathComponent(file), encoding: .utf8)
                    for match in text.matches(of: /(?m)^(?:@testable\s+)?import\s+(\w+)/) {
                        let module = String(match.1)
                        let known = dependencies[module] != nil || external[module] != nil
                        if known && !reachable.contains(module) && !reachable.contains(external[module] ?? module) {
                            undeclared.append("\(folder)/\(target)/\(file) imports \(module)")
                        }
                    }
                }
            }
        }
        #expect(undeclared.isEmpty, "imports Package.swift does not declare: \(undeclared)")
    }
}
