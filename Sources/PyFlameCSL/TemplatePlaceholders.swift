/// The placeholder check mustache lacks: parses a template's tags into a tree and proves that a render
/// context supplies every placeholder the template (and each partial it includes) would render. A missing
/// key is an error naming the template, the tag and the line, instead of silently empty text.
///
/// Supported tags (all our templates use): `{{NAME}}`, `{{{NAME}}}`, `{{&NAME}}`, sections `{{#NAME}}` …
/// `{{/NAME}}`, inverted sections `{{^NAME}}`, partials `{{> name}}`, comments `{{! … }}` and
/// `{{% CONTENT_TYPE: TEXT}}`. Anything else (delimiter changes, blocks, parents) is refused, so a template
/// never uses a feature the check cannot follow.
public enum TemplatePlaceholders {
    /// One tag of the tree.
    public indirect enum Node: Sendable, Equatable {
        case variable(String, line: Int)
        case section(String, inverted: Bool, line: Int, children: [Node])
        case partial(String, line: Int)
    }

    /// The tag tree of a template.
    public static func parse(_ text: String) throws(TemplateError) -> [Node] {
        var stack: [(name: String, inverted: Bool, line: Int, children: [Node])] = [("", false, 0, [])]
        var line = 1
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            line += rest[..<open.lowerBound].filter { $0 == "\n" }.count
            let triple = rest[open.upperBound...].hasPrefix("{")
            let closer = triple ? "}}}" : "}}"
            let bodyStart = triple ? rest.index(after: open.upperBound) : open.upperBound
            guard let close = rest[bodyStart...].range(of: closer) else {
                throw TemplateError("line \(line): `{{` is never closed")
            }
            let body = rest[bodyStart..<close.lowerBound]
            let tagLine = line
            line += body.filter { $0 == "\n" }.count
            rest = rest[close.upperBound...]
            let trimmed = body.trimmingCharacters(in: .whitespaces)
            if triple {
                stack[stack.count - 1].children.append(.variable(try name(trimmed, tagLine), line: tagLine))
                continue
            }
            guard let sigil = trimmed.first else { throw TemplateError("line \(tagLine): empty tag {{}}") }
            let argument = String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces)
            switch sigil {
            case "!": continue
            case "%":
                guard argument.replacingOccurrences(of: " ", with: "") == "CONTENT_TYPE:TEXT" else {
                    throw TemplateError("line \(tagLine): only {{% CONTENT_TYPE: TEXT}} is supported, not {{\(trimmed)}}")
                }
            case "#", "^":
                stack.append((try name(argument, tagLine), sigil == "^", tagLine, []))
            case "/":
                let closing = try name(argument, tagLine)
                guard stack.count > 1, stack[stack.count - 1].name == closing else {
                    throw TemplateError("line \(tagLine): {{/\(closing)}} closes no open section")
                }
                let done = stack.removeLast()
                stack[stack.count - 1].children.append(.section(done.name, inverted: done.inverted, line: done.line, children: done.children))
            case ">":
                stack[stack.count - 1].children.append(.partial(try name(argument, tagLine), line: tagLine))
            case "&":
                stack[stack.count - 1].children.append(.variable(try name(argument, tagLine), line: tagLine))
            case "=", "$", "<":
                throw TemplateError("line \(tagLine): {{\(sigil)…}} is not supported by the placeholder check")
            default:
                stack[stack.count - 1].children.append(.variable(try name(trimmed, tagLine), line: tagLine))
            }
        }
        guard stack.count == 1 else {
            throw TemplateError("line \(stack.last!.line): section {{#\(stack.last!.name)}} is never closed")
        }
        return stack[0].children
    }

    private static func name(_ text: String, _ line: Int) throws(TemplateError) -> String {
        guard !text.isEmpty, text == "." || text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
            throw TemplateError("line \(line): `\(text)` is not a placeholder name")
        }
        return text
    }

    /// Proves `stack` (innermost last) supplies every placeholder of `tree`: variables are strings or
    /// numbers, sections are booleans, contexts or arrays of contexts (each element checked).
    static func verify(_ tree: [Node], template: String, stack: [[String: Any]], partials: TemplateSet, depth: Int = 0) throws(TemplateError) {
        guard depth < 16 else { throw TemplateError("\(template).template: partials nest more than 16 deep") }
        for node in tree {
            switch node {
            case .variable(let name, let line):
                guard let value = lookup(name, stack) else {
                    throw TemplateError("\(template).template:\(line): placeholder {{\(name)}} was not supplied")
                }
                guard value is String || value is Int || value is Double else {
                    throw TemplateError("\(template).template:\(line): placeholder {{\(name)}} is a \(type(of: value)), not text")
                }
            case .section(let name, let inverted, let line, let children):
                guard let value = lookup(name, stack) else {
                    throw TemplateError("\(template).template:\(line): section {{\(inverted ? "^" : "#")\(name)}} was not supplied")
                }
                switch value {
                case let flag as Bool:
                    if flag != inverted { try verify(children, template: template, stack: stack, partials: partials, depth: depth) }
                case let list as [[String: Any]]:
                    if inverted {
                        if list.isEmpty { try verify(children, template: template, stack: stack, partials: partials, depth: depth) }
                    } else {
                        for element in list { try verify(children, template: template, stack: stack + [element], partials: partials, depth: depth) }
                    }
                case let context as [String: Any]:
                    if !inverted { try verify(children, template: template, stack: stack + [context], partials: partials, depth: depth) }
                default:
                    throw TemplateError("\(template).template:\(line): section {{#\(name)}} needs a flag or a list, got \(type(of: value))")
                }
            case .partial(let name, _):
                try verify(try partials.partialTree(name), template: name, stack: stack, partials: partials, depth: depth + 1)
            }
        }
    }

    private static func lookup(_ name: String, _ stack: [[String: Any]]) -> Any? {
        for context in stack.reversed() {
            if let value = context[name] { return value }
        }
        return nil
    }
}
