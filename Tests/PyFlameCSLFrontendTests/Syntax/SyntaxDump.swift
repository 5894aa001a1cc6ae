import Foundation
import PyFlameCSLFrontend

/// A compact S-expression of a syntax tree, for tests that check what a construct parsed into.
enum SyntaxDump {
    static func expr(_ e: CSLExpr) -> String {
        switch e.kind {
        case .integer(let text, let value): return value.map(String.init) ?? "int?\(text)"
        case .float(_, let value): return "\(value)"
        case .string(let s): return "\"\(s)\""
        case .character(let c): return "'\(c)'"
        case .bool(let b): return "\(b)"
        case .null: return "null"
        case .undefined: return "undefined"
        case .unreachable: return "unreachable"
        case .identifier(let name): return name
        case .enumLiteral(let name): return ".\(name)"
        case .member(let base, let name, _): return "(. \(expr(base)) \(name))"
        case .dereference(let base): return "(.* \(expr(base)))"
        case .index(let base, let indices): return "(index \(expr(base)) \(list(indices)))"
        case .slice(let base, let start, let end): return "(slice \(expr(base)) \(expr(start)) \(end.map(expr) ?? "_"))"
        case .call(let callee, let arguments): return "(call \(expr(callee))\(arguments.map { " " + expr($0) }.joined()))"
        case .builtinCall(let name, _, let arguments): return "(@\(name)\(arguments.map { " " + expr($0) }.joined()))"
        case .unary(let op, let operand): return "(\(op.rawValue) \(expr(operand)))"
        case .binary(let op, let l, let r): return "(\(op.rawValue) \(expr(l)) \(expr(r)))"
        case .structInit(let type, let fields):
            return "(struct\(type.map { " " + expr($0) } ?? "")\(fields.map { " .\($0.name)=\(expr($0.value))" }.joined()))"
        case .tupleInit(let type, let elements): return "(tuple\(type.map { " " + expr($0) } ?? "")\(elements.map { " " + expr($0) }.joined()))"
        case .tensorAccess(let t):
            return "(access |\(t.indices.map(\.name).joined(separator: ","))| \(list(t.extents)) \(expr(t.access)))"
        case .ifExpr(let c, let t, let o): return "(if \(expr(c)) \(expr(t)) \(expr(o)))"
        case .switchExpr(let s): return "(switch \(expr(s.subject)) \(s.prongs.count) cases)"
        case .comptime(let inner): return "(comptime \(expr(inner)))"
        case .block(let b): return "(block \(b.statements.count))"
        case .arrayType(let a): return "(array [\(a.dimensions.map { $0.map(expr) ?? "_" }.joined(separator: " "))] \(expr(a.element)))"
        case .pointerType(let p):
            return
                "(\(p.size.rawValue)\(p.isConst ? "const " : "")\(p.isVolatile ? "volatile " : "")\(p.alignment.map { "align(\(expr($0))) " } ?? "")\(expr(p.pointee)))"
        case .optionalType(let t): return "(? \(expr(t)))"
        case .functionType(let f):
            return "(\(f.isTask ? "task" : "fn") [\(f.parameters.map { expr($0.type) }.joined(separator: " "))] \(expr(f.returnType)))"
        case .structType(let s): return "(\(s.layout.rawValue) struct \(s.fields.map(\.name).joined(separator: ",")))"
        case .enumType(let e): return "(enum\(e.tagType.map { "(" + expr($0) + ")" } ?? "") \(e.members.map(\.name).joined(separator: ",")))"
        case .unionType(let s): return "(union \(s.fields.map(\.name).joined(separator: ",")))"
        }
    }

    static func list(_ exprs: [CSLExpr]) -> String { "[" + exprs.map(expr).joined(separator: " ") + "]" }
}

/// The corpus folder next to this test folder.
let corpusFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Corpus")

func corpusFile(_ name: String) throws -> CSLSourceFile {
    let url = corpusFolder.appendingPathComponent(name)
    return CSLSourceFile(path: name, text: try String(contentsOf: url, encoding: .utf8))
}

func corpusFileNames() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: corpusFolder.path).filter { $0.hasSuffix(".csl") }.sorted()
}

extension CSLSyntaxTree {
    /// The top-level declaration named `name`.
    func declaration(_ name: String) -> CSLDecl? { declarations.first { $0.name == name } }

    /// The value of the top-level `const`/`var` named `name`.
    func value(of name: String) -> CSLExpr? {
        guard case .variable(let v) = declaration(name)?.kind else { return nil }
        return v.value
    }
}
