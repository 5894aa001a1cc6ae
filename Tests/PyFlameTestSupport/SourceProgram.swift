import PyFlameFrontend
import PyFlameIR
import PyFlameLanguage
import PyFlameLowering

/// A graph built from statement text through the front end, as the shell builds it, for the tests of the
/// modules below the shell (lowering, simulator, emitter) without linking the shell. It takes
/// `fabric WxH` / `fabric wse2`, `target wse2|wse3` and `NAME = EXPR [on LAYOUT]`; anything else is refused.
public struct SourceProgram {
    public var architecture: Architecture = .wse2
    public var fabric: FabricSize = Architecture.wse2.usableFabric
    public var peDataBudget = Architecture.defaultPEDataBudget
    /// The shell's default `host_limit`.
    public var hostLimit = 1 << 28
    public private(set) var graph = Graph()
    /// Tensor names → nodes.
    public private(set) var bindings: [String: NodeID] = [:]

    public init() {}

    /// Statements run in order; the first one refused throws.
    public init(_ statements: [String]) throws(SourceProgramError) {
        for statement in statements { try run(statement) }
    }

    /// Runs one statement; a refused one throws and leaves the program as it was.
    public mutating func run(_ text: String) throws(SourceProgramError) {
        let source = SourceText(text)
        do {
            switch try Parser.parse(source) {
            case .fabric(.named(let name), _):
                fabric = Architecture(rawValue: name)?.usableFabric ?? fabric
            case .fabric(.size(let width, let height), _):
                fabric = FabricSize(width: width, height: height)
            case .target(let name, _):
                architecture = Architecture(rawValue: name) ?? architecture
            case .assignment(let name, let nameRange, let value, let layout):
                let scope = FrontendScope(bindings: bindings, limits: PlacementLimits(fabric: fabric, peDataBudget: peDataBudget), hostLimit: hostLimit)
                guard let id = try GraphBuilder.buildStatement(value, layout: layout, on: &graph, scope: scope, evaluator: Evaluator()) else {
                    throw Diagnostic.error("a number is not a tensor", at: nameRange)
                }
                bindings[name] = id
                if var node = graph[id], node.name == nil {
                    node.name = name
                    graph.update(node)
                }
            default:
                throw Diagnostic.error("SourceProgram takes fabric, target and assignments only")
            }
        } catch {
            throw SourceProgramError(statement: text, message: (error as? Diagnostic)?.rendered(in: source) ?? "\(error)")
        }
    }

    /// The node `name` is bound to.
    public func node(_ name: String) -> Node? { bindings[name].flatMap { graph[$0] } }

    /// What the shell's `:lower` and `:sim` lower with: this target, fabric and data budget.
    public var options: LoweringOptions { LoweringOptions(architecture: architecture, fabric: fabric, peDataBudget: peDataBudget) }

    /// `name`'s cone lowered with ``options``.
    public func lower(_ name: String) throws -> FabricProgram {
        guard let id = bindings[name] else { throw SourceProgramError(statement: name, message: "unknown name '\(name)'") }
        return try Lowering.lower(graph, result: id, options: options)
    }
}

/// A statement ``SourceProgram`` refused, with the front end's diagnostic.
public struct SourceProgramError: Error, CustomStringConvertible {
    public var statement: String
    public var message: String
    public var description: String { "`\(statement)` → \(message)" }
}
