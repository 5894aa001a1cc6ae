import PyFlameIR
@testable import PyFlameLanguage
import Testing

/// Parses `text`, returning the statement or the diagnostic (never both).
func parseResult(_ text: String) -> Result<Statement, Diagnostic> {
    do throws(Diagnostic) { return .success(try Parser.parse(text)) } catch { return .failure(error) }
}

/// The statement `text` parses to; records an issue (and returns nil) when it fails.
func parsed(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Statement? {
    switch parseResult(text) {
    case .success(let statement): return statement
    case .failure(let diagnostic):
        Issue.record("\(text.debugDescription) failed: \(diagnostic.rendered(in: SourceText(text)))", sourceLocation: sourceLocation)
        return nil
    }
}

/// The diagnostic `text` fails with; records an issue (and returns nil) when it parses.
func failure(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Diagnostic? {
    switch parseResult(text) {
    case .success(let statement):
        Issue.record("\(text.debugDescription) parsed as \(statement) but should fail", sourceLocation: sourceLocation)
        return nil
    case .failure(let diagnostic): return diagnostic
    }
}

/// A compact, range-free rendering of a parse, for asserting structure and precedence:
/// `c = (a + (b * c)) on RowPartition(4)`, `f(x, dim=-1)`, `[1, [2, 3]]`, `(-a)`.
func show(_ statement: Statement) -> String {
    switch statement {
    case .empty: return "<empty>"
    case .assignment(let name, _, let value, let layout): return "\(name) = \(show(value))\(show(layout))"
    case .expression(let value, let layout): return "\(show(value))\(show(layout))"
    case .fabric(.size(let w, let h), _): return "fabric \(w)x\(h)"
    case .fabric(.named(let name), _): return "fabric \(name)"
    case .target(let name, _): return "target \(name)"
    case .set(let name, _, let value, _): return "set \(name) \(value.debugDescription)"
    case .command(let name, _, let arguments): return ":\(name)" + arguments.map { " " + $0.text.debugDescription }.joined()
    case .color(let name, _, let id, _): return "color \(name) = \(id)"
    case .route(let r):
        let place = "(\(r.from.x),\(r.from.y))" + (r.to.map { "..(\($0.x),\($0.y))" } ?? "")
        return "route \(r.color) \(place): \(r.rx.joined(separator: ", ")) -> \(r.tx.joined(separator: ", "))"
    case .send(let color, _, let pe, let values, _, let kind, _):
        return "send \(color) (\(pe.x),\(pe.y)) " + (kind == .integer ? "" : "\(kind) ") + "["
            + values.map { WaveletPayload.text($0, kind) }.joined(separator: ", ") + "]"
    case .unroute(let color, _, let from, let to):
        return "unroute \(color) (\(from.x),\(from.y))" + (to.map { "..(\($0.x),\($0.y))" } ?? "")
    case .unsend(let color, _, let pe): return "unsend \(color) (\(pe.x),\(pe.y))"
    case .reaction(let r):
        let at = "on (\(r.pe.x),\(r.pe.y)) "
        switch r.action {
        case .receive(let n, let from, _, let back):
            return at + "receive \(n) \(from)"
                + (back.map { b in
                    " then send \(b.color)"
                        + (b.values.map { v in " [" + v.map { WaveletPayload.text($0, b.kind ?? .integer) }.joined(separator: ", ") + "]" } ?? "")
                } ?? "")
        case .forward(let n, let from, _, let to, _): return at + "forward " + (n.map { "\($0) " } ?? "") + "\(from) -> \(to)"
        case .chain(let from, _, let to, _, let combine, let values, let kind):
            return at + "chain \(from) -> \(to) \(combine) " + (kind == .integer ? "" : "\(kind) ") + "["
                + values.map { WaveletPayload.text($0, kind) }.joined(separator: ", ") + "]"
        }
    }
}

func show(_ expr: Expr) -> String {
    switch expr.kind {
    case .integer(let v): return String(v)
    case .float(let v): return "\(v)"
    case .string(let s): return s.debugDescription
    case .name(let n): return n
    case .list(let items): return "[" + items.map(show).joined(separator: ", ") + "]"
    case .call(let name, _, let arguments):
        return name + "(" + arguments.map { ($0.label.map { "\($0)=" } ?? "") + show($0.value) }.joined(separator: ", ") + ")"
    case .binary(let op, let lhs, let rhs, _): return "(\(show(lhs)) \(op.rawValue) \(show(rhs)))"
    case .negate(let operand): return "(-\(show(operand)))"
    case .index(let base, let items):
        return show(base) + "["
            + items.map { item in
                item.isRange ? (item.start.map(show) ?? "") + ":" + (item.stop.map(show) ?? "") : item.start.map(show) ?? ""
            }.joined(separator: ", ") + "]"
    }
}

func show(_ layout: LayoutClause?) -> String {
    guard let layout else { return "" }
    switch layout.layout {
    case .auto: return " on auto"
    case .singlePE: return " on SinglePE"
    case .rowPartition(let n): return " on RowPartition(\(n))"
    case .colPartition(let n): return " on ColPartition(\(n))"
    case .grid(let r, let c): return " on Grid(\(r), \(c))"
    }
}

/// `show(parse(text))`, or `error: ...` when it fails.
func shown(_ text: String) -> String {
    switch parseResult(text) {
    case .success(let statement): return show(statement)
    case .failure(let diagnostic): return "error: \(diagnostic.message)"
    }
}

/// The text a range covers in `text`.
func slice(_ text: String, _ range: SourceRange?) -> String? {
    range.map { SourceText(text).slice($0) }
}

/// The value expression of an assignment or bare expression statement.
func valueExpr(_ statement: Statement?) -> Expr? {
    switch statement {
    case .assignment(_, _, let value, _)?: return value
    case .expression(let value, _)?: return value
    default: return nil
    }
}
