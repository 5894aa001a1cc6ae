import Foundation
import Mustache

/// The CSL templates (the `templates/` folder): one `.csl.template` per CSL pattern the lowering produces,
/// the fabric layout, the shared pieces they include as partials, `run.py.template` and
/// `commands.sh.template`. They ship inside the binary (``EmbeddedTemplates``); `--templates DIR` and
/// `set templates DIR` load edited copies instead. Rendering goes through swift-mustache; before a render,
/// ``TemplatePlaceholders`` proves the context supplies every placeholder, since mustache itself renders a
/// missing key as empty text without a word.
public struct TemplateSet: Sendable {
    /// The parsed set, shared by copies (immutable once made).
    private final class Storage: Sendable {
        let sources: [String: String]
        let origin: String
        let library: MustacheLibrary
        let trees: [String: [TemplatePlaceholders.Node]]

        init(sources: [String: String], origin: String, library: MustacheLibrary, trees: [String: [TemplatePlaceholders.Node]]) {
            self.sources = sources
            self.origin = origin
            self.library = library
            self.trees = trees
        }
    }

    // One reference: copies of a set (every emitter, every shell) share the parsed templates.
    private let storage: Storage

    /// Template name (file name without `.template`, e.g. `layout.csl`) → source text.
    public var sources: [String: String] { storage.sources }
    /// Where they came from: `built-in` or a folder path.
    public var origin: String { storage.origin }
    var library: MustacheLibrary { storage.library }
    /// Each template's tag tree, parsed once, for the placeholder check.
    var trees: [String: [TemplatePlaceholders.Node]] { storage.trees }

    /// Every template the emitter renders; a folder given with `--templates` must hold all of them.
    public static let requiredNames = [
        "layout.csl", "pe_program.csl",
        "elementwise_unary.csl", "elementwise_binary.csl", "reduction_local.csl", "reduction_chain.csl",
        "matmul_single_pe.csl", "matmul_grid.csl", "transpose_local.csl", "layout_transform.csl",
        "elementwise_loop.csl", "reduce_loop.csl", "matmul_loop.csl", "movement_steps.csl", "fabric_step.csl", "copy_loop.csl",
        "run.py", "commands.sh",
    ]

    /// The templates compiled into the binary.
    public static func builtIn() -> TemplateSet {
        // The embedded copies are tested to parse and to equal templates/; a failure here is a build defect.
        do { return try TemplateSet(sources: EmbeddedTemplates.files, origin: "built-in") } catch {
            fatalError("the built-in templates do not parse: \(error)")
        }
    }

    /// Templates read from `folder` (`NAME.template` for every required name).
    public static func load(folder: String) throws(TemplateError) -> TemplateSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TemplateError("no such folder: \(folder)")
        }
        var sources: [String: String] = [:]
        var missing: [String] = []
        for name in requiredNames {
            let path = (folder as NSString).appendingPathComponent(name + ".template")
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                missing.append(name + ".template")
                continue
            }
            sources[name] = text
        }
        guard missing.isEmpty else {
            throw TemplateError("\(folder) lacks \(missing.joined(separator: ", ")) (copy templates/ from the source checkout and edit the copies)")
        }
        return try TemplateSet(sources: sources, origin: folder)
    }

    /// Parses every source; each becomes a partial the others can include as `{{> name}}`.
    public init(sources: [String: String], origin: String) throws(TemplateError) {
        var library = MustacheLibrary()
        var trees: [String: [TemplatePlaceholders.Node]] = [:]
        for name in sources.keys.sorted() {
            do { try library.register(sources[name]!, named: name) } catch {
                throw TemplateError("\(name).template does not parse as a mustache template: \(error)")
            }
            do { trees[name] = try TemplatePlaceholders.parse(sources[name]!) } catch {
                throw TemplateError("\(name).template: \(error.message)")
            }
            // Without it mustache HTML-escapes values: `->` would become `-&gt;`.
            guard sources[name]!.hasPrefix("{{% CONTENT_TYPE: TEXT}}") else {
                throw TemplateError("\(name).template must start with {{% CONTENT_TYPE: TEXT}} (else values are HTML-escaped)")
            }
        }
        storage = Storage(sources: sources, origin: origin, library: library, trees: trees)
    }

    /// Renders template `name` with `context` (string keys; values are strings, numbers, booleans, nested
    /// contexts or arrays of them), after checking that every placeholder it and its partials use is supplied.
    public func render(_ name: String, _ context: [String: Any]) throws(TemplateError) -> String {
        guard let tree = trees[name] else { throw TemplateError("no template \(name)") }
        try TemplatePlaceholders.verify(tree, template: name, stack: [context], partials: self)
        guard let text = library.render(RenderContext.wrap(context), withTemplate: name) else { throw TemplateError("no template \(name)") }
        return text
    }

    /// The parsed tag tree of a partial, for ``TemplatePlaceholders/verify``.
    func partialTree(_ name: String) throws(TemplateError) -> [TemplatePlaceholders.Node] {
        guard let tree = trees[name] else { throw TemplateError("a template includes {{> \(name)}}, which does not exist") }
        return tree
    }
}

/// A template that cannot be loaded or rendered: a missing file, a parse error, or a placeholder the
/// emitter did not supply.
public struct TemplateError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// A render context as mustache sees it: one class instance per context instead of a `[String: Any]`,
/// whose protocol checks the renderer repeats on every lookup (`as? MustacheParent`, ...) cost several
/// times more for a generic dictionary type than for a final class.
final class RenderContext: MustacheParent {
    let values: [String: Any]

    init(_ values: [String: Any]) { self.values = values }

    func child(named name: String) -> Any? { values[name] }

    /// The context with every nested context and list of contexts wrapped too.
    static func wrap(_ context: [String: Any]) -> RenderContext {
        RenderContext(
            context.mapValues { value -> Any in
                switch value {
                case let nested as [String: Any]: return wrap(nested)
                case let list as [[String: Any]]: return list.map(wrap)
                default: return value
                }
            })
    }
}
