import PyFlameIR
import PyFlameLowering
import Testing

@testable import PyFlameCSLFrontend

/// The checks on hand-made project models (no evaluator): each finding names the values and sits at the
/// declaration or call it is about.
@Suite("Semantic checks on a project model")
struct ChecksModelTests {
    static let layoutText = """
        const memcpy = @import_module("<memcpy/get_params>", .{ .width = 2, .height = 1 });
        layout {
          @set_rectangle(2, 1);
          @set_tile_code(0, 0, "pe.csl", .{ .memcpy_params = memcpy.get_params(0) });
          @set_tile_code(1, 0, "pe.csl", .{ .memcpy_params = memcpy.get_params(1) });
          @set_color_config(0, 0, @get_color(3), .{ .routes = .{ .rx = .{ WEST }, .tx = .{ RAMP } } });
          @export_name("x", [*]f32, true);
        }
        """
    static let peText = """
        param memcpy_params: comptime_struct;
        const sys_mod = @import_module("<memcpy/memcpy>", memcpy_params);
        var buf: [4]f32 = @zeros([4]f32);
        var buf_ptr: [*]f32 = &buf;
        const iq: input_queue = @get_input_queue(2);
        const in_dsd = @get_dsd(fabin_dsd, .{ .fabric_color = @get_color(3), .extent = 4, .input_queue = iq });
        const mem_dsd = @get_dsd(mem1d_dsd, .{ .tensor_access = |i|{8} -> buf[i] });
        const t_id: local_task_id = @get_local_task_id(21);
        task t() void {}
        comptime { @bind_local_task(t, t_id); @export_symbol(buf_ptr, "x"); }
        """

    /// The site of the first occurrence of `text` in `file`.
    static func site(_ file: CSLSourceFile, _ text: String) -> CSLSite {
        let whole = file.text
        guard let r = whole.range(of: text) else { return CSLSite(path: file.path, range: CSLSourceRange(0, 0)) }
        let start = whole.utf8.distance(from: whole.startIndex, to: r.lowerBound)
        return CSLSite(path: file.path, range: CSLSourceRange(start, start + text.utf8.count))
    }

    static func project(architecture: Architecture = .wse2, memcpy: Bool = true) -> CSLElaboratedProject {
        let layout = CSLSourceFile(path: "layout.csl", text: layoutText)
        let pe = CSLSourceFile(path: "pe.csl", text: peText)
        var p = CSLElaboratedProject(layoutPath: "layout.csl", options: CSLCompileOptions(architecture: architecture))
        p.files = ["layout.csl": layout, "pe.csl": pe]
        p.rectangle = PERect(x: 0, y: 0, width: 2, height: 1)
        p.importsMemcpy = memcpy
        var program = CSLElaboratedPEProgram(path: "pe.csl", params: [])
        program.globals = [
            CSLGlobal(name: "buf", type: .array(dimensions: [4], element: .float(bits: 32)), isConst: false, byteSize: 16, site: site(pe, "var buf: [4]f32")),
            CSLGlobal(
                name: "buf_ptr", type: .pointer(to: .float(bits: 32), many: true, const: false), isConst: false, byteSize: 4,
                site: site(pe, "var buf_ptr")),
        ]
        program.queues = [CSLNamedResource(name: "iq", value: .inputQueue(2), site: site(pe, "const iq"))]
        program.dsds = [
            CSLDSDDecl(
                name: "in_dsd", value: CSLDSDValue(kind: .fabin, fabricColor: 3, queue: 2, extent: 4), site: site(pe, "@get_dsd(fabin_dsd"), inFunction: "t"),
            CSLDSDDecl(
                name: "mem_dsd", value: CSLDSDValue(kind: .mem1d, extent: 8, dimensions: [8], baseBuffer: "buf", offset: 0, strides: [1]),
                site: site(pe, "@get_dsd(mem1d_dsd")),
        ]
        program.tasks = [CSLTaskDecl(name: "t", parameterCount: 0, site: site(pe, "task t"))]
        program.taskBindings = [CSLTaskBinding(task: "t", kind: .local, id: 21, site: site(pe, "@bind_local_task(t, t_id)"))]
        program.exports = [CSLExportSymbol(symbol: "buf_ptr", name: "x", site: site(pe, "@export_symbol(buf_ptr, \"x\")"))]
        p.codes = [CSLPECode(path: "pe.csl", params: [], program: program)]
        p.codeOfPE = [PECoord(0, 0): 0, PECoord(1, 0): 0]
        p.routes = [RouteConfig(pe: PECoord(0, 0), color: 3, rx: [.west], tx: [.ramp])]
        p.routeSites = [site(layout, "@set_color_config(0, 0")]
        p.exportNames = [
            CSLExportName(name: "x", type: .pointer(to: .float(bits: 32), many: true, const: false), isMutable: true, site: site(layout, "@export_name"))
        ]
        return p
    }

    static func lines(_ findings: [CSLDiagnostic], _ project: CSLElaboratedProject) -> [String] {
        findings.map { d in
            let (line, _) = d.range.map { project.files[d.path]!.location(of: $0.start) } ?? (0, 0)
            return "\(d.path):\(line): \(d.severity.label): \(d.message)"
        }
    }

    @Test func aFabricDSDOnAColorWithNoRouteAtOneOfItsPEsIsAnErrorAtTheDSD() throws {
        let p = Self.project()
        let found = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(
            found.contains(
                "pe.csl:6: error: fabin_dsd `in_dsd` receives on color 3, but PE (1,0) running pe.csl has no route for color 3"), "\(found)")
    }

    @Test func aTopLevelDSDMustWorkAtSomePEOfItsFileForItsUseIsNotVisible() throws {
        // Declared at top level, any function or branch may use it: working at (0,0) is enough ...
        var p = Self.project()
        p.codes[0].program.dsds[0].inFunction = nil
        let found = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(!found.contains { $0.contains("in_dsd") }, "\(found)")
        // ... and working nowhere is a warning naming every PE (cslc drops a DSD nothing uses).
        p.routes = []
        p.routeSites = []
        let none = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(
            none.contains(
                "pe.csl:6: warning: fabin_dsd `in_dsd` receives on color 3, but PEs (0,0)-(1,0) running pe.csl have no route for color 3 (if the code uses it there)"
            ), "\(none)")
    }

    @Test func aRouteThatDoesNotReachTheCoreIsAnErrorWithANoteAtTheRoute() throws {
        var p = Self.project()
        p.routes = [
            RouteConfig(pe: PECoord(0, 0), color: 3, rx: [.west], tx: [.east]), RouteConfig(pe: PECoord(1, 0), color: 3, rx: [.west], tx: [.ramp]),
        ]
        p.routeSites = [Self.site(p.files["layout.csl"]!, "@set_color_config(0, 0"), Self.site(p.files["layout.csl"]!, "@export_name")]
        let found = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(
            found.contains {
                $0.hasPrefix("pe.csl:6: error: fabin_dsd `in_dsd` receives on color 3, but the route of color 3 at PE (0,0) (rx ")
                    && $0.hasSuffix("does not deliver it to the core (RAMP in .tx)")
            },
            "\(found)")
        #expect(found.contains("layout.csl:6: note: the route of color 3 at PE (0,0) is configured here"), "\(found)")
        #expect(!found.contains { $0.contains("no route") }, "\(found)")
    }

    @Test func aMemoryDSDBeyondItsBufferIsAnErrorAtTheDSDWithANoteAtTheBuffer() throws {
        let p = Self.project()
        let found = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(found.contains { $0.hasPrefix("pe.csl:7: error: mem1d_dsd `mem_dsd` (extent 8) reaches buf[7], beyond the 4 elements of `buf`") }, "\(found)")
        #expect(found.contains("pe.csl:3: note: `buf` is declared here as [4]f32, 4 elements"), "\(found)")
    }

    @Test func aLocalTaskIDMemcpyReservesIsAnErrorOnlyWhenTheProjectImportsMemcpy() throws {
        let with = Self.project()
        let found = Self.lines(try #require(CSLProjectChecks.run(with)), with)
        // At the const that holds the ID, with a note at the binding.
        #expect(found.contains { $0.hasPrefix("pe.csl:8: error: local task ID 21 (task `t`) is reserved by memcpy") }, "\(found)")
        #expect(found.contains("pe.csl:10: note: `t` is bound to local task ID 21 here"), "\(found)")
        let without = Self.project(memcpy: false)
        let clean = Self.lines(try #require(CSLProjectChecks.run(without)), without)
        #expect(!clean.contains { $0.contains("reserved by memcpy") }, "\(clean)")
    }

    @Test func twoTasksOnOneIDAreAnError() throws {
        var p = Self.project(memcpy: false)
        let pe = p.files["pe.csl"]!
        p.codes[0].program.taskBindings.append(CSLTaskBinding(task: "u", kind: .local, id: 21, site: Self.site(pe, "@export_symbol")))
        let found = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(found.contains { $0.hasPrefix("pe.csl:10: error: local_task_id 21 is already bound to task `t`") }, "\(found)")
    }

    @Test func memcpysInputQueueIsAnErrorOnlyWithMemcpy() throws {
        var p = Self.project(architecture: .wse3)
        p.codes[0].program.queues = [CSLNamedResource(name: "iq", value: .inputQueue(1), site: Self.site(p.files["pe.csl"]!, "const iq"))]
        let found = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(found.contains { $0.hasPrefix("pe.csl:5: error: `iq` is input queue 1, which memcpy keeps on wse3") }, "\(found)")
        p.importsMemcpy = false
        let clean = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(!clean.contains { $0.contains("memcpy keeps") }, "\(clean)")
    }

    @Test func onWSE3AFabricDSDsQueueNeedsInitializeQueue() throws {
        var p = Self.project(architecture: .wse3)
        let found = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(found.contains { $0.hasPrefix("pe.csl:6: error: fabin_dsd `in_dsd` uses input queue 2, which has no @initialize_queue") }, "\(found)")
        p.codes[0].program.queueInitializations = [CSLQueueInitialization(queue: .inputQueue(2), color: 3, site: Self.site(p.files["pe.csl"]!, "comptime"))]
        #expect(!Self.lines(try #require(CSLProjectChecks.run(p)), p).contains { $0.contains("@initialize_queue") })
        let wse2 = Self.project(architecture: .wse2)
        #expect(!Self.lines(try #require(CSLProjectChecks.run(wse2)), wse2).contains { $0.contains("@initialize_queue") })
    }

    @Test func exportsPairWithExportName() throws {
        var p = Self.project()
        p.exportNames.append(
            CSLExportName(name: "y", type: .pointer(to: .float(bits: 32), many: true, const: false), isMutable: true, site: p.exportNames[0].site))
        p.codes[0].program.exports.append(CSLExportSymbol(symbol: "buf_ptr", name: "z", site: Self.site(p.files["pe.csl"]!, "@export_symbol")))
        let found = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(found.contains("layout.csl:7: error: @export_name(\"y\", ...) has no @export_symbol(..., \"y\") in any PE program"), "\(found)")
        #expect(found.contains("pe.csl:10: error: @export_symbol exports \"z\", but layout.csl has no @export_name(\"z\", ...)"), "\(found)")
    }

    @Test func memoryOverThePEIsAWarningAtTheLargestDeclarationOfAHandWrittenProject() throws {
        var p = Self.project()
        p.codes[0].program.globals[0].type = .array(dimensions: [20000], element: .float(bits: 32))
        p.codes[0].program.globals[0].byteSize = 80000
        let found = Self.lines(try #require(CSLProjectChecks.run(p)), p)
        #expect(
            found.contains {
                $0.hasPrefix(
                    "pe.csl:3: warning: pe.csl declares 80004 bytes of data at PEs (0,0)-(1,0), over the PE's memory of \(Architecture.peMemoryBytes) bytes")
            }, "\(found)")
    }

    @Test func theChecksStopWhenAsked() {
        #expect(CSLProjectChecks.run(Self.project(), shouldStop: { true }) == nil)
    }

    @Test func peSetsAreWrittenAsRectangles() {
        let pes = (0..<4).flatMap { y in (0..<3).map { PECoord($0, y) } } + [PECoord(7, 0)]
        #expect(PERectangleCover.text(pes) == "(0,0)-(2,3), (7,0)")
        #expect(PERectangleCover.cover([PECoord(0, 0), PECoord(1, 1)]).count == 2)
        let many = (0..<10).map { PECoord($0 * 2, 0) }
        #expect(PERectangleCover.text(many, limit: 2) == "(0,0), (2,0), and 8 more PEs")
    }
}
