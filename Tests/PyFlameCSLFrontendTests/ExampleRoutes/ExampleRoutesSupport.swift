import Foundation
import PyFlameCSLFrontend
import PyFlameIR
import PyFlameLowering
import Testing

/// Where an archive of Cerebras/sdk-examples v1.4.0 (= Cerebras/csl-examples 162e0f3) was unpacked: the
/// folder that holds `tutorials/` and `benchmarks/`. The examples are not in the repository (and CI has no
/// network), so the ExampleRoutes suites run only in the optional step of ./test
/// (scripts/csl-example-routes, which says NOT RUN without it); ./test's main step skips them by filter.
enum CerebrasExamples {
    static let variable = "PYFLAME_CSL_EXAMPLES"

    static var folder: String? {
        guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else { return nil }
        return path
    }

    static let isGiven = folder != nil
    static let notGiven = "set \(variable) to an archive of Cerebras/sdk-examples v1.4.0 (scripts/csl-examples does this)"

    /// Opens `tutorials/<example>` as cslc would with `commandLine` (the flags of its commands_*.sh line) and
    /// fails the test on an error diagnostic.
    static func routes(of example: String, commandLine: String) throws -> [RouteConfig] {
        let root = try #require(folder, "\(notGiven)")
        let directory = URL(fileURLWithPath: root).appendingPathComponent("tutorials").appendingPathComponent(example).path
        #expect(FileManager.default.fileExists(atPath: directory + "/layout.csl"), "no layout.csl in \(directory)")
        let options = try CSLCompileOptions.parse(commandLine: commandLine.split(separator: " ").map(String.init))
        let project = CSLProjectLoader.open(directory: directory, layout: "layout.csl", options: options, shouldStop: { false })
        let errors = project.diagnostics.filter(\.isError).map { $0.rendered(files: project.files) }
        #expect(errors.isEmpty, "\(example) \(commandLine):\n\(errors.joined(separator: "\n"))")
        return sortedRoutes(project.routes)
    }

    /// Routes in (color, row, column) order, so two lists compare as sets that keep duplicates.
    static func sortedRoutes(_ routes: [RouteConfig]) -> [RouteConfig] {
        routes.sorted { ($0.color, $0.pe.y, $0.pe.x) < ($1.color, $1.pe.y, $1.pe.x) }
    }

    /// The routes that differ, one a line, for a failure message: `- expected` and `+ found`.
    static func difference(expected: [RouteConfig], found: [RouteConfig]) -> String {
        let missing = expected.filter { !found.contains($0) }.map { "- " + describe($0) }
        let extra = found.filter { !expected.contains($0) }.map { "+ " + describe($0) }
        let counts = expected.count == found.count ? [] : ["expected \(expected.count) routes, found \(found.count)"]
        return (counts + missing + extra).joined(separator: "\n")
    }

    static func describe(_ r: RouteConfig) -> String {
        var text = "color \(r.color) at \(r.pe): \(r.rx) -> \(r.tx)"
        if let s = r.switches {
            let positions = s.positions.map { "(\($0.rx?.description ?? "-") -> \($0.tx?.description ?? "-"))" }
            text += " switches \(positions.joined(separator: " ")) start \(s.currentPosition) ring \(s.ringMode) pop \(s.popMode.rawValue)"
        }
        if let f = r.filter { text += " filter \(f.minIndex)...\(f.maxIndex)" }
        if r.colorSwapX { text += " color_swap_x" }
        if r.colorSwapY { text += " color_swap_y" }
        return text
    }
}

/// A route written by hand: `route(1, 0, color: 3, rx: [.west], tx: [.ramp, .east])`.
func route(
    _ x: Int, _ y: Int, color: Int, rx: DirectionSet, tx: DirectionSet, switches: RouteSwitches? = nil, filter: RouteFilter? = nil,
    colorSwapX: Bool = false
) -> RouteConfig {
    RouteConfig(pe: PECoord(x, y), color: color, rx: rx, tx: tx, switches: switches, filter: filter, colorSwapX: colorSwapX)
}

/// Compares what the front end finds in `example` for each command line with `expected`.
func expectRoutes(of example: String, commandLines: [String], equal expected: [RouteConfig]) throws {
    let expected = CerebrasExamples.sortedRoutes(expected)
    #expect(Set(expected).count == expected.count, "the expected routes of \(example) name a (PE, color) twice")
    for commandLine in commandLines {
        let found = try CerebrasExamples.routes(of: example, commandLine: commandLine)
        // Compared first, so a failure prints the routes that differ rather than both lists.
        let same = found == expected
        #expect(same, "\(example) with \(commandLine):\n\(CerebrasExamples.difference(expected: expected, found: found))")
    }
}
