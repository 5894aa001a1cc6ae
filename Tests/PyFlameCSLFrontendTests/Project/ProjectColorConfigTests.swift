import PyFlameCSLFrontend
import PyFlameIR
import PyFlameLowering
import Testing

/// A color configuration value (as `@set_color_config` receives it) becomes the fabric model's RouteConfig.
@Suite struct ProjectColorConfigTests {
    private func s(_ fields: (String, CSLValue)...) -> CSLValue { .structValue(CSLStructValue(fields: fields.map { CSLStructField($0.0, $0.1) })) }
    private func dirs(_ ds: Direction...) -> CSLValue { .tuple(ds.map { .direction($0) }) }
    private let pe = PECoord(2, 1)

    @Test func routesWithSwitchesBecomeTheSameRouteConfig() {
        let config = s(
            ("routes", s(("rx", dirs(.ramp)), ("tx", dirs(.north)))),
            (
                "switches",
                s(
                    ("pos1", s(("tx", .direction(.west)))), ("pos2", s(("tx", .direction(.east)))), ("pos3", s(("rx", dirs(.south)), ("tx", dirs(.ramp)))),
                    ("current_switch_pos", .int(1, .comptimeInt)), ("ring_mode", .bool(true)), ("pop_mode", s(("pop_on_advance", .bool(true)))))
            ))
        let (route, issues) = ColorConfigConversion.route(pe: pe, color: 3, config: config)
        #expect(issues.isEmpty)
        let expected = RouteConfig(
            pe: pe, color: 3, rx: [.ramp], tx: [.north],
            switches: RouteSwitches(
                positions: [SwitchPosition(tx: [.west]), SwitchPosition(tx: [.east]), SwitchPosition(rx: [.south], tx: [.ramp])], currentPosition: 1,
                ringMode: true,
                popMode: .popOnAdvance))
        #expect(route == expected)
    }

    @Test func aRangeFilterAndColorSwapConvert() {
        let filtered = s(
            ("routes", s(("rx", dirs(.west)), ("tx", dirs(.ramp, .east)))),
            ("filter", s(("kind", s(("range", .bool(true)))), ("min_idx", .int(3, .int(signed: false, bits: 16))), ("max_idx", .int(5, .comptimeInt)))))
        let (route, issues) = ColorConfigConversion.route(pe: pe, color: 1, config: filtered)
        #expect(issues.isEmpty)
        #expect(route == RouteConfig(pe: pe, color: 1, rx: [.west], tx: [.ramp, .east], filter: RouteFilter(minIndex: 3, maxIndex: 5)))

        let swapped = s(("routes", s(("rx", dirs(.ramp)), ("tx", dirs(.ramp, .east)), ("color_swap_x", .bool(true)))))
        let (swap, _) = ColorConfigConversion.route(pe: pe, color: 0, config: swapped)
        #expect(swap == RouteConfig(pe: pe, color: 0, rx: [.ramp], tx: [.ramp, .east], colorSwapX: true))
    }

    @Test func wrongFieldsAreErrorsAndCounterFiltersCannotBeChecked() {
        let (bad, badIssues) = ColorConfigConversion.route(pe: pe, color: 0, config: s(("routes", s(("rx", dirs(.west)), ("txx", dirs(.ramp))))))
        #expect(bad == nil)
        #expect(badIssues == [.init(.error, ".routes has no field .txx (it has .rx, .tx, .color_swap_x and .color_swap_y)")])

        let pos2Only = s(("pos2", s(("tx", .direction(.east)))))
        let (gap, gapIssues) = ColorConfigConversion.route(pe: pe, color: 0, config: s(("routes", s(("rx", dirs(.west)))), ("switches", pos2Only)))
        #expect(gap == nil)
        #expect(gapIssues == [.init(.error, ".switches has .pos2 but no .pos1")])

        let counter = s(
            ("routes", s(("rx", dirs(.west)), ("tx", dirs(.ramp)))), ("filter", s(("kind", s(("counter", .bool(true)))), ("count_data", .bool(true)))))
        let (route, issues) = ColorConfigConversion.route(pe: pe, color: 0, config: counter)
        #expect(route == RouteConfig(pe: pe, color: 0, rx: [.west], tx: [.ramp]))
        #expect(issues.map(\.severity) == [.cannotCheck])

        let (_, notDirections) = ColorConfigConversion.route(pe: pe, color: 0, config: s(("routes", s(("rx", .tuple([.int(1, .comptimeInt)]))))))
        #expect(notDirections == [.init(.error, ".routes.rx: expected directions (NORTH, EAST, SOUTH, WEST, RAMP), found 1")])
    }
}
