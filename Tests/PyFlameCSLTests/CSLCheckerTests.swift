import Foundation
import Testing
@testable import PyFlameCSL

/// The fixture folder `name` under Fixtures/, found next to this source file.
func fixture(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name).path
}

func check(_ name: String, budget: Int = 36864) -> CheckReport {
    CSLChecker(peDataBudget: budget).check(folder: fixture(name))
}

func rendered(_ r: CheckReport) -> [String] { r.findings.map(\.rendered) }

@Suite struct CleanProjects {
    @Test func rowBroadcastPassesWithNoFindings() {
        let r = check("row_broadcast")
        #expect(rendered(r) == [])
        #expect(r.passed)
    }

    @Test func baseFixtureOfTheRuleFixturesIsClean() {
        let r = check("base")
        #expect(rendered(r) == [])
        #expect(r.passed)
    }

    @Test func tutorialLoopsExpandAndPass() {
        let r = check("tutorial_loops")
        #expect(rendered(r) == [])
        #expect(r.passed)
    }

    @Test func tutorialIfBranchesGiveCannotCheckNeverAnError() {
        let r = check("tutorial_if")
        #expect(!r.findings.contains { $0.severity == .error }, "\(rendered(r))")
        #expect(rendered(r).contains("layout.csl:9: cannot check: `if` in the layout is not evaluated; the tiles, colors and routes it guards are not checked"))
        // The data task ID is a param (`c`): each PE's @set_tile_code gives it a value (color 3), checked PE by PE.
        #expect(!rendered(r).contains { $0.hasPrefix("pe.csl:7") }, "\(rendered(r))")
        #expect(!r.passed)
    }

    @Test func unresolvedParamRectangleIsCannotCheck() {
        let r = check("unresolved_param")
        #expect(!r.findings.contains { $0.severity == .error }, "\(rendered(r))")
        #expect(rendered(r).contains("layout.csl:4: cannot check: @set_rectangle size is not literal or resolvable const integers"))
        #expect(!r.passed)
    }

    @Test func missingFolderIsAnError() {
        let r = check("no_such_fixture")
        #expect(rendered(r) == ["layout.csl:1: no layout.csl in the project folder"])
    }
}

@Suite struct CheckerFixtures {
    /// Each failing fixture and one `file:line: message` the checker must report for it.
    static let cases: [(String, String)] = [
        ("unmatched_brackets", "pe.csl:3: unmatched ']'"),
        ("two_layout_blocks", "layout.csl:12: a second `layout { }` block: there must be exactly one"),
        ("tile_code_per_pe", "layout.csl:6: second @set_tile_code for (0, 0); the first is on line 5"),
        ("tile_code_per_pe", "layout.csl:4: no @set_tile_code for (1, 0) of the 2x1 rectangle"),
        ("tile_code_missing_file", "layout.csl:6: @set_tile_code names \"missing.csl\", which does not exist in the project folder"),
        ("memcpy_color", "layout.csl:2: color 22 is reserved by memcpy (21, 22, 23)"),
        ("route_direction_spelling", "layout.csl:8: .RAMP is not a direction: write the bare RAMP"),
        ("duplicate_color_config", "layout.csl:8: second @set_color_config for (0, 0) color 1; the first is on line 7"),
        ("color_config_without_routes", "layout.csl:8: @set_color_config for (1, 0) color 1 has no .routes"),
        ("route_unmet_by_neighbour", "layout.csl:7: (0, 0) sends color 1 EAST but (1, 0) has no config on color 1 receiving from WEST"),
        ("route_off_rectangle", "layout.csl:8: (1, 0) sends color 1 EAST, off the 2x1 rectangle"),
        (
            "export_mutability",
            "pe.csl:13: `x_ptr` is a var pointer but layout.csl:9 exports \"x\" with mutability false (var pairs with true, const with false)"
        ),
        ("export_unpaired", "layout.csl:10: @export_name(\"kompute\") has no @export_symbol(..., \"kompute\") in any PE program"),
        ("export_unpaired", "pe.csl:14: @export_symbol \"compute\" has no @export_name(\"compute\", ...) in layout.csl"),
        ("task_id_reserved", "pe.csl:5: @get_local_task_id(27) out of range: local task IDs beside memcpy are 8–20 and 24–26 (memcpy reserves 21–23)"),
        ("queue_used_twice", "pe.csl:9: @get_output_queue(2) already used on line 6"),
        ("task_id_param_per_pe", "pe.csl:7: @get_local_task_id(9) at PE (1,0) already used on line 6"),
        ("removed_builtin", "pe.csl:12: @bind_task does not exist in CSL (never existed or removed in SDK 1.1)"),
        ("memcpy_as_param", "layout.csl:1: memcpy is imported with `const memcpy = @import_module(\"<memcpy/get_params>\", ...)`, not a param"),
        ("array_type_spelling", "pe.csl:3: multi-dimensional arrays are written [R, C]T, not [R][C]T"),
        ("range_three_arguments", "layout.csl:6: @range has no 3-argument form: use @range(T, stop) or @range(T, start, stop, step)"),
        ("pe_data_budget", "pe.csl:3: pe.csl declares 40000 bytes of arrays, over the PE data budget of 36864 bytes (used by PE (0, 0), (1, 0))"),
    ]

    @Test(arguments: cases.indices)
    func failingFixtureIsCaught(_ i: Int) {
        let (name, expected) = Self.cases[i]
        let r = check(name)
        #expect(rendered(r).contains(expected), "\(name): \(rendered(r))")
        #expect(!r.passed)
        let f = r.findings.first { $0.rendered == expected }
        #expect(f?.severity == .error)
        #expect(f.map { "\($0.file):\($0.line)" } == String(expected.split(separator: ":").prefix(2).joined(separator: ":")))
    }

    @Test func severalRxIsOnlyAWarning() {
        let r = check("route_several_rx")
        #expect(
            rendered(r) == [
                "layout.csl:8: warning: (1, 0) color 1 receives from several directions (WEST, SOUTH): wavelets arriving together are undefined behaviour"
            ])
        #expect(r.passed)
    }

    @Test func rangeWithThreeArgumentsIsNotExpanded() {
        let r = check("range_three_arguments")
        #expect(rendered(r).contains("layout.csl:6: cannot check: loop bounds are not literal or resolvable const integers"))
    }

    @Test func budgetIsAParameter() {
        #expect(check("base").passed)
        let r = check("base", budget: 32)
        #expect(rendered(r) == ["pe.csl:3: pe.csl declares 64 bytes of arrays, over the PE data budget of 32 bytes (used by PE (0, 0), (1, 0))"])
    }

    @Test func lexerIgnoresBracketsInStringsAndComments() {
        let toks = cslTokenize("const s = \"(]\"; // ) }\nvar a: [2, 3]f32;")
        #expect(!toks.contains { $0.kind == .punct && $0.text == ")" })
        #expect(toks.last?.line == 2)
        #expect(cslEvaluate(cslTokenize("(x + 1) * 3 - N / 2"), ["x": 2, "N": 4]) == 7)
        #expect(cslEvaluate(cslTokenize("width - 1"), [:]) == nil)
    }
}
