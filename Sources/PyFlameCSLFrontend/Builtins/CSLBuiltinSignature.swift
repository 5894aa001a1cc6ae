/// What kind of value a builtin takes or gives, in the words of the SDK 1.4 builtins page.
public enum CSLValueKind: String, Sendable, Hashable, CaseIterable {
    /// A type: `f32`, `[N]f32`, `mem1d_dsd`, `dsr_dest`, `fn()void`.
    case type
    /// An integer known at compile time (`comptime_int` or any integer type).
    case comptimeInt = "comptime integer"
    /// An integer of any width, known at compile time or not.
    case integer
    /// A float.
    case float
    /// Any number (integer or float) or bool: what `@as` converts.
    case number
    case bool
    /// A string literal: a file name, an export name, an architecture name.
    case string
    case color
    case localTaskID = "local task ID"
    case dataTaskID = "data task ID"
    case controlTaskID = "control task ID"
    /// A local, data or control task ID, or a color (`@block`, `@unblock`).
    case taskID = "task ID"
    case inputQueue = "input queue"
    case outputQueue = "output queue"
    /// An input or output queue.
    case queue
    /// A WSE-3 microthread ID.
    case microthreadID = "microthread ID"
    /// A data structure descriptor (memory, fabric or FIFO).
    case dsd = "DSD"
    /// A data structure register.
    case dsr = "DSR"
    /// An operand of a DSD operation: a DSD, a pointer to a scalar, or a scalar.
    case dsdOperand = "DSD, pointer or scalar"
    /// A task (declared with `task`).
    case task
    /// A function (declared with `fn`).
    case function
    /// A struct value, usually an anonymous `.{ ... }`.
    case `struct`
    case pointer
    case array
    /// What `@import_module` gives: the module's declarations.
    case module
    /// What `@range` gives: the values a `for` loop runs over.
    case range
    /// Nothing (a builtin called for its effect).
    case void
    /// A value of the type given as the first argument (`@as`, `@zeros`, `@bitcast`, `@constants`).
    case ofTypeArgument = "a value of the given type"
    /// Anything.
    case any = "any value"

    /// Whether an argument of kind `given` fits a parameter of this kind. Kinds the caller does not know
    /// are not passed here (nothing to check).
    public func accepts(_ given: CSLValueKind) -> Bool {
        if self == given || self == .any || given == .any { return true }
        switch self {
        case .integer: return given == .comptimeInt
        case .number: return [.integer, .comptimeInt, .float, .bool].contains(given)
        case .taskID: return [.localTaskID, .dataTaskID, .controlTaskID, .color].contains(given)
        case .queue: return given == .inputQueue || given == .outputQueue
        case .dsdOperand: return [.dsd, .pointer, .integer, .comptimeInt, .float].contains(given)
        default: return false
        }
    }

    /// The kind with an article, for messages: "a color", "an integer".
    public var withArticle: String {
        let words = rawValue
        if self == .ofTypeArgument || self == .any { return words }
        let startsWithVowel = words.first.map { "aeiou".contains($0) } ?? false
        return (startsWithVowel ? "an " : "a ") + words
    }
}

/// One argument of a builtin's documented form: its name on the SDK page and its kind.
public struct CSLBuiltinParameter: Sendable, Hashable {
    public let name: String
    /// The kinds it accepts (one for most; `@get_data_task_id` takes a color or an input queue).
    public let kinds: [CSLValueKind]

    public init(_ name: String, _ kinds: CSLValueKind...) {
        self.name = name
        self.kinds = kinds
    }

    public func accepts(_ given: CSLValueKind) -> Bool { kinds.contains { $0.accepts(given) } }

    var kindsText: String { kinds.map(\.withArticle).joined(separator: " or ") }
}

/// One way to call a builtin: its parameters in order, and, for `@map`, a parameter that may repeat.
public struct CSLBuiltinForm: Sendable, Hashable {
    public let parameters: [CSLBuiltinParameter]
    /// A last parameter that may be given any number of times beyond `parameters` (nil: none).
    public let repeating: CSLBuiltinParameter?

    public init(_ parameters: [CSLBuiltinParameter], repeating: CSLBuiltinParameter? = nil) {
        self.parameters = parameters
        self.repeating = repeating
    }

    public func accepts(argumentCount n: Int) -> Bool {
        repeating == nil ? n == parameters.count : n >= parameters.count
    }

    /// The parameter argument `k` (0-based) binds to, when the form takes that many.
    public func parameter(at k: Int) -> CSLBuiltinParameter? {
        k < parameters.count ? parameters[k] : repeating
    }

    /// `@range(type, stop)`; `@map(callback, args...)`.
    func spelled(_ name: String) -> String {
        var words = parameters.map(\.name)
        if let r = repeating { words.append(r.name + "...") }
        return "@\(name)(\(words.joined(separator: ", ")))"
    }
}

/// Where a builtin may be called.
public enum CSLBuiltinPlace: String, Sendable, Hashable {
    /// Anywhere an expression may stand.
    case anywhere
    /// Only in a `layout { }` block (`@set_rectangle`, `@set_tile_code`, `@set_color_config`, `@export_name`).
    case layout
    /// Only in code that runs on a PE (the DSD operations, `@activate`): never at compile time.
    case runtime
}

/// A builtin of SDK 1.4 CSL as its documentation gives it: the forms it may be called in, what each
/// argument is, what it gives, where it may be called and on which architecture.
public struct CSLBuiltinSignature: Sendable, Hashable {
    /// The name without `@`.
    public let name: String
    /// One or more forms (`@range` has two: 2 or 4 arguments, never 3).
    public let forms: [CSLBuiltinForm]
    public let result: CSLValueKind
    public let place: CSLBuiltinPlace
    /// Only on WSE-3 (`@get_ut_id`); nil: both architectures.
    public let onlyOn: String?
    /// One line: what it does.
    public let summary: String

    public init(
        _ name: String, _ forms: [CSLBuiltinForm], result: CSLValueKind, place: CSLBuiltinPlace = .anywhere,
        onlyOn: String? = nil, _ summary: String
    ) {
        self.name = name
        self.forms = forms
        self.result = result
        self.place = place
        self.onlyOn = onlyOn
        self.summary = summary
    }

    /// The argument counts the forms accept, e.g. [2, 4] for `@range`; the least count of a form that repeats
    /// its last parameter stands for "that many or more".
    public var argumentCounts: [Int] { Array(Set(forms.map(\.parameters.count))).sorted() }

    /// How every form is spelled, for messages: `@range(type, stop) or @range(type, start, stop, step)`.
    public var spelled: String { forms.map { $0.spelled(name) }.joined(separator: " or ") }

    /// Why a call with `argumentCount` arguments is wrong, or nil when some form takes that many.
    /// "@range takes 2 or 4 arguments, not 3: @range(type, stop) or @range(type, start, stop, step)".
    public func check(argumentCount n: Int) -> String? {
        if forms.contains(where: { $0.accepts(argumentCount: n) }) { return nil }
        let noun = countText == "1" ? "argument" : "arguments"
        return "@\(name) takes \(countText) \(noun), not \(n): \(spelled)"
    }

    /// Why a call whose arguments have the given kinds is wrong (nil for an argument whose kind the caller
    /// does not know), or nil when a form with that many arguments takes those kinds. The count is checked
    /// first.
    public func check(argumentKinds kinds: [CSLValueKind?]) -> String? {
        if let countMessage = check(argumentCount: kinds.count) { return countMessage }
        var firstMismatch: String?
        for form in forms where form.accepts(argumentCount: kinds.count) {
            var mismatch: String?
            for (k, given) in kinds.enumerated() {
                guard let given, let parameter = form.parameter(at: k), !parameter.accepts(given) else { continue }
                mismatch =
                    "argument \(k + 1) of @\(name) (\(parameter.name)) must be \(parameter.kindsText), not \(given.withArticle)"
                break
            }
            guard let mismatch else { return nil }
            if firstMismatch == nil { firstMismatch = mismatch }
        }
        return firstMismatch
    }

    /// "2 or 4", "2 or 3", "at least 2", "no".
    private var countText: String {
        if let open = forms.filter({ $0.repeating != nil }).map(\.parameters.count).min() {
            return "at least \(open)"
        }
        let counts = argumentCounts
        guard let first = counts.first, let last = counts.last, last > 0 else { return "no" }
        if counts.count == 1 { return "\(last)" }
        if counts.count > 2 && last - first == counts.count - 1 { return "\(first) to \(last)" }
        return counts.dropLast().map(String.init).joined(separator: ", ") + " or \(last)"
    }
}
