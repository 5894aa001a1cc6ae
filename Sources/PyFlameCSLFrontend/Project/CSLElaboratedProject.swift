import PyFlameIR
import PyFlameLowering

/// A CSL project as `cslc` would see it after comptime evaluation of its layout file: the program
/// rectangle, each PE's code (one elaborated program per distinct (file, parameters)), every route in the
/// fabric model's terms, the host exports, and what evaluation found wrong or could not follow.
public struct CSLElaboratedProject: Sendable {
    /// The layout file's path (as opened).
    public var layoutPath: String
    public var options: CSLCompileOptions
    /// The program rectangle of `@set_rectangle(W, H)`: PE coordinates of the program, origin (0, 0).
    public var rectangle: PERect
    /// Where `@set_rectangle` was called (nil when it never was).
    public var rectangleSite: CSLSite?
    /// One per distinct (file, parameters) given to `@set_tile_code`.
    public var codes: [CSLPECode]
    /// PE → index into `codes`, for every PE that has code.
    public var codeOfPE: [PECoord: Int]
    /// Every `@set_color_config`, in the fabric model's terms, sorted by (color, PE).
    public var routes: [RouteConfig]
    /// Where each route was configured (same order as `routes`).
    public var routeSites: [CSLSite]
    /// Every `@set_local_color_config` of a PE program, per code: the same shape, for the PEs of that code.
    public var localColorConfigs: [CSLLocalColorConfig]
    /// `@export_name` calls of the layout.
    public var exportNames: [CSLExportName]
    /// Whether any file imports `<memcpy/memcpy>` or `<memcpy/get_params>`: memcpy's colors, queues and task
    /// IDs (`memcpyReservations`) are then taken.
    public var importsMemcpy: Bool
    /// A library the layout file imports that the front end does not model (`<kernels/fft/fft3d_layout>`): it
    /// may place code and routes the model cannot see.
    public var opaqueLayoutLibrary: String?
    /// The source files read (layout and every imported file), by path, for rendering diagnostics.
    public var files: [String: CSLSourceFile]
    /// Errors found while evaluating, and `cannot check:` notes.
    public var diagnostics: [CSLDiagnostic]

    public init(layoutPath: String, options: CSLCompileOptions) {
        self.layoutPath = layoutPath
        self.options = options
        self.rectangle = PERect(x: 0, y: 0, width: 0, height: 0)
        self.rectangleSite = nil
        self.codes = []
        self.codeOfPE = [:]
        self.routes = []
        self.routeSites = []
        self.localColorConfigs = []
        self.exportNames = []
        self.importsMemcpy = false
        self.files = [:]
        self.diagnostics = []
    }

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.isError } }

    /// The code a PE runs.
    public func code(at pe: PECoord) -> CSLPECode? {
        codeOfPE[pe].flatMap { codes.indices.contains($0) ? codes[$0] : nil }
    }

    /// What memcpy takes from the program when the project imports it, read from `Architecture`
    /// (nil when it does not).
    public var memcpyReservations: CSLMemcpyReservations? {
        importsMemcpy ? CSLMemcpyReservations(architecture: options.architecture) : nil
    }
}

/// A place in a file: the path and the byte range (of a call, a declaration).
public struct CSLSite: Sendable, Hashable {
    public var path: String
    public var range: CSLSourceRange

    public init(path: String, range: CSLSourceRange) {
        self.path = path
        self.range = range
    }
}

/// The colors, local task IDs and input queues memcpy reserves in a project that imports it (the facts are
/// `Architecture`'s; this only gathers them for an architecture).
public struct CSLMemcpyReservations: Sendable, Equatable {
    public var colors: [Int]
    public var localTaskIDs: [Int]
    public var inputQueues: [Int]

    public init(architecture: Architecture) {
        colors = Array(Architecture.memcpyColors)
        localTaskIDs = Array(Architecture.memcpyTaskIDs)
        let free = Set(architecture.freeInputQueues)
        inputQueues = (0..<Architecture.queueCount).filter { !free.contains($0) }
    }
}

/// One distinct (file, parameters) of `@set_tile_code` and its elaborated program.
public struct CSLPECode: Sendable {
    /// The file as `@set_tile_code` names it (relative to the layout's folder).
    public var path: String
    /// The parameters `@set_tile_code` passed, in the order given.
    public var params: [CSLStructField]
    public var program: CSLElaboratedPEProgram
    /// Where the first `@set_tile_code` of this (file, parameters) was.
    public var site: CSLSite?

    public init(path: String, params: [CSLStructField], program: CSLElaboratedPEProgram, site: CSLSite? = nil) {
        self.path = path
        self.params = params
        self.program = program
        self.site = site
    }
}

/// What comptime evaluation of a PE file (with its parameters) found at top level. Function and task bodies
/// are not run.
public struct CSLElaboratedPEProgram: Sendable {
    public var path: String
    public var params: [CSLStructField]
    /// `var`/`const` declarations that occupy PE memory (arrays, scalars), in declaration order.
    public var globals: [CSLGlobal]
    /// DSDs built at top level by `@get_dsd` (also those in a task/function body whose fields are comptime).
    public var dsds: [CSLDSDDecl]
    /// `task` declarations.
    public var tasks: [CSLTaskDecl]
    /// `@bind_data_task`, `@bind_local_task`, `@bind_control_task` calls.
    public var taskBindings: [CSLTaskBinding]
    /// Colors, task IDs and queues the file names as constants (`const c: color = @get_color(3)` ...).
    public var colors: [CSLNamedResource]
    public var queues: [CSLNamedResource]
    public var taskIDs: [CSLNamedResource]
    /// `@initialize_queue` calls (WSE-3).
    public var queueInitializations: [CSLQueueInitialization]
    /// `@export_symbol` calls.
    public var exports: [CSLExportSymbol]
    /// `@import_module` calls: the module names (`<memcpy/memcpy>`, `util.csl`).
    public var importedModules: [String]
    /// `@set_local_color_config` calls of this file.
    public var localColorConfigs: [CSLLocalColorConfig]

    public init(path: String, params: [CSLStructField]) {
        self.path = path
        self.params = params
        self.globals = []
        self.dsds = []
        self.tasks = []
        self.taskBindings = []
        self.colors = []
        self.queues = []
        self.taskIDs = []
        self.queueInitializations = []
        self.exports = []
        self.importedModules = []
        self.localColorConfigs = []
    }

    /// The bytes of PE memory the globals take (saturating).
    public var globalBytes: Int {
        globals.reduce(0) { total, g in
            let (sum, overflow) = total.addingReportingOverflow(g.byteSize ?? 0)
            return overflow ? Int.max : sum
        }
    }
}

/// A global variable or constant that lives in PE memory.
public struct CSLGlobal: Sendable {
    public var name: String
    public var type: CSLType
    public var isConst: Bool
    /// nil when the type's size is not modelled.
    public var byteSize: Int?
    public var site: CSLSite

    public init(name: String, type: CSLType, isConst: Bool, byteSize: Int?, site: CSLSite) {
        self.name = name
        self.type = type
        self.isConst = isConst
        self.byteSize = byteSize
        self.site = site
    }
}

/// A DSD value a declaration (or `@get_dsd` call) made.
public struct CSLDSDDecl: Sendable {
    /// The name it was declared as (nil for a DSD built inline).
    public var name: String?
    public var value: CSLDSDValue
    /// The `@get_dsd` call.
    public var site: CSLSite
    /// The task or function whose body holds it (nil at top level).
    public var inFunction: String?

    public init(name: String?, value: CSLDSDValue, site: CSLSite, inFunction: String? = nil) {
        self.name = name
        self.value = value
        self.site = site
        self.inFunction = inFunction
    }
}

/// A `task` declaration.
public struct CSLTaskDecl: Sendable {
    public var name: String
    public var parameterCount: Int
    public var site: CSLSite

    public init(name: String, parameterCount: Int, site: CSLSite) {
        self.name = name
        self.parameterCount = parameterCount
        self.site = site
    }
}

/// `@bind_data_task(task, id)` and its kin.
public struct CSLTaskBinding: Sendable {
    public var task: String
    public var kind: CSLTaskKind
    /// The ID (for a data task on WSE-3 bound through an input queue, the queue's ID).
    public var id: Int
    /// A WSE-3 data task ID made from an input queue (`@get_data_task_id(queue)`).
    public var viaInputQueue: Bool
    public var site: CSLSite

    public init(task: String, kind: CSLTaskKind, id: Int, viaInputQueue: Bool = false, site: CSLSite) {
        self.task = task
        self.kind = kind
        self.id = id
        self.viaInputQueue = viaInputQueue
        self.site = site
    }
}

/// A name bound to a color, queue or task ID.
public struct CSLNamedResource: Sendable {
    public var name: String
    public var value: CSLValue
    public var site: CSLSite

    public init(name: String, value: CSLValue, site: CSLSite) {
        self.name = name
        self.value = value
        self.site = site
    }
}

/// `@initialize_queue(queue, .{ .color = c })`.
public struct CSLQueueInitialization: Sendable {
    public var queue: CSLValue
    public var color: Int?
    public var site: CSLSite

    public init(queue: CSLValue, color: Int?, site: CSLSite) {
        self.queue = queue
        self.color = color
        self.site = site
    }
}

/// `@export_symbol(symbol, "name")`.
public struct CSLExportSymbol: Sendable {
    /// The global or function exported.
    public var symbol: String
    /// The host name (the symbol's own name when not given).
    public var name: String
    public var site: CSLSite

    public init(symbol: String, name: String, site: CSLSite) {
        self.symbol = symbol
        self.name = name
        self.site = site
    }
}

/// `@export_name("name", type, mutable)` of the layout.
public struct CSLExportName: Sendable {
    public var name: String
    public var type: CSLType
    /// nil for a function (no mutability argument).
    public var isMutable: Bool?
    public var site: CSLSite

    public init(name: String, type: CSLType, isMutable: Bool?, site: CSLSite) {
        self.name = name
        self.type = type
        self.isMutable = isMutable
        self.site = site
    }
}

/// `@set_local_color_config(color, config)` of a PE file: the route it sets on every PE running that file.
public struct CSLLocalColorConfig: Sendable {
    /// The route as a `RouteConfig` whose `pe` is (0, 0): the PEs are those that run the file.
    public var route: RouteConfig
    public var site: CSLSite

    /// The file it is in.
    public var path: String { site.path }
    public var color: Int { route.color }

    public init(route: RouteConfig, site: CSLSite) {
        self.route = route
        self.site = site
    }
}
