import PyFlameIR
import PyFlameLowering
@testable import PyFlameSimulator

/// Adds switches, filters, color swap and control wavelets to a random playground (the generators of
/// `RoutingPlayground` and `RandomPlayground`), from its own random source so the playground without them
/// stays what it was: now and then a route gets one to three switch positions (other tx, sometimes other
/// rx), a starting position, ring mode and pop mode; a route delivering to its core a range filter on the
/// index (the upper 16 bits); on WSE-2 a route color swap; and a send control wavelets among its data
/// (SWITCH_ADV, SWITCH_RST, NOP, now and then TEARDOWN; ce_ignore or not; entry points and arguments).
/// Only what the architecture allows (`RouteConfig.refusal`).
func decorate(_ routes: inout [RouteConfig], _ sends: inout [PlaygroundSend], architecture: Architecture, seed: UInt64) {
    var r = RewindRandom(state: seed ^ 0x5157_C4E5)
    guard r.chance(60) else { return }
    let compass: [Direction] = [.north, .east, .south, .west]
    func someTx(_ base: DirectionSet) -> DirectionSet {
        switch r.int(0...3) {
        case 0: return [.ramp]
        case 1: return [compass[r.int(0...3)]]
        case 2: return DirectionSet(base.sorted.filter { _ in r.chance(60) } + [.ramp])
        default: return base
        }
    }
    for i in routes.indices {
        var route = routes[i]
        if r.chance(25) && architecture.switchColors.contains(route.color) {
            let positions = (0..<r.int(1...RouteSwitches.maxPositions)).map { _ in
                SwitchPosition(rx: r.chance(15) ? DirectionSet([compass[r.int(0...3)], .ramp].filter { _ in r.chance(70) }) : nil, tx: someTx(route.tx))
            }
            route.switches = RouteSwitches(
                positions: positions, currentPosition: r.int(0...positions.count), ringMode: r.chance(50),
                popMode: PopMode.allCases[r.int(0...2)])
            // An empty rx position is not a route.
            if route.switches!.positions.contains(where: { $0.rx?.isEmpty == true }) { route.switches = nil }
        }
        if r.chance(20) && route.allTx.contains(.ramp) {
            let low = r.int(0...3)
            route.filter = RouteFilter(minIndex: UInt16(low), maxIndex: UInt16(low + r.int(0...2)))
        }
        if architecture.allowsColorSwap && r.chance(8) {
            if r.chance(50) { route.colorSwapX = true } else { route.colorSwapY = true }
        }
        routes[i] = route
    }
    // Now and then a color swaps on every route, with a mirror of each route on the other color of its
    // pair where that PE has none (topic-14): its wavelets alternate colors along their paths.
    if architecture.allowsColorSwap && r.chance(30), let c = routes.randomElement(using: &r)?.color {
        let x = r.chance(70), y = r.chance(50)
        for i in routes.indices where routes[i].color == c {
            routes[i].colorSwapX = x || routes[i].colorSwapX
            routes[i].colorSwapY = y || routes[i].colorSwapY
            if !routes.contains(where: { $0.pe == routes[i].pe && $0.color == c ^ 1 }) {
                var mirror = routes[i]
                mirror.color = c ^ 1
                if mirror.switches != nil && !architecture.switchColors.contains(mirror.color) { mirror.switches = nil }
                routes.append(mirror)
            }
        }
    }
    for i in sends.indices where r.chance(40) {
        var wavelets = sends[i].values.map { WaveletValue.data($0) }
        for _ in 0..<r.int(1...4) {
            let commands: [ControlCommand] = [.switchAdvance, .switchAdvance, .switchAdvance, .switchReset, .nop, r.chance(20) ? .teardown : .nop]
            let items = (0..<r.int(1...3)).map { _ in ControlItem(commands[r.int(0...5)], ceIgnore: r.chance(50)) }
            let control = ControlWavelet(items, entryPoint: r.chance(50) ? r.int(0...ControlWavelet.maxEntryPoint) : nil, argument: UInt16(r.int(0...65_535)))
            wavelets.insert(.control(control), at: r.int(0...wavelets.count))
        }
        sends[i] = PlaygroundSend(pe: sends[i].pe, color: sends[i].color, wavelets: wavelets)
    }
}
