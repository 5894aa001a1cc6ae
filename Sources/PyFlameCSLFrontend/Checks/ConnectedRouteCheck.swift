import PyFlameIR
import PyFlameLowering

extension CSLCheckRun {
    // MARK: Routes that connect

    /// A route that sends toward a neighbour (any switch position's tx) is met there by a route on that
    /// color (the other color of its even/odd pair when the route swaps colors on that axis) that receives
    /// from the opposite side; nothing is sent off the program rectangle (unless memcpy, whose border
    /// surrounds it, is imported). The error is at the sending
    /// route's `@set_color_config`.
    mutating func connectedRoutes() {
        let rect = project.rectangle
        for (i, route) in project.routes.enumerated() {
            if poll() { return }
            let site = project.routeSites.indices.contains(i) ? project.routeSites[i] : nil
            for direction in route.anyTx.sorted where direction != .ramp {
                let (dx, dy) = direction.step
                let neighbour = PECoord(route.pe.x + dx, route.pe.y + dy)
                let horizontal = direction == .east || direction == .west
                let swapped = horizontal ? route.colorSwapX : route.colorSwapY
                let color = swapped ? route.color ^ 1 : route.color
                guard rect.contains(neighbour) else {
                    // memcpy's border surrounds the rectangle and takes streams sent off its edge.
                    if project.importsMemcpy { continue }
                    error(
                        "color \(route.color) at \(route.pe) sends \(direction), off the \(rect.width)x\(rect.height) program rectangle: nothing there receives it",
                        at: site)
                    continue
                }
                let code = project.codeOfPE[neighbour] ?? -1
                guard let there = self.route(at: neighbour, color: color, code: code) else {
                    error(
                        "color \(route.color) at \(route.pe) sends \(direction)\(swapped ? " (swapped to color \(color))" : ""), but \(neighbour) has no route for color \(color) to receive it",
                        at: site)
                    continue
                }
                if !there.anyRx.contains(direction.opposite) {
                    error(
                        "color \(route.color) at \(route.pe) sends \(direction)\(swapped ? " (swapped to color \(color))" : ""), but the route of color \(color) at \(neighbour) does not receive from \(direction.opposite) (rx \(there.rx))",
                        at: site)
                }
            }
        }
    }
}
