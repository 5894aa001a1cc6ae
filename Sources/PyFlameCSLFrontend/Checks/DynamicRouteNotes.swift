import PyFlameIR
import PyFlameLowering

extension CSLCheckRun {
    // MARK: What depends on the wavelets sent at run time

    /// Which switch position routes a wavelet, which wavelets a filter lets into the core, and what a
    /// control DSD's wavelets do are decided at run time: each is a `cannot check` note (once per
    /// configuration or DSD), never a silent pass. The route checks use every switch position at once.
    mutating func dynamicRoutes() {
        for (i, route) in project.routes.enumerated() {
            let site = project.routeSites.indices.contains(i) ? project.routeSites[i] : nil
            if route.switches != nil {
                cannotCheck(
                    "switches: which position of \(route.pe) color \(route.color) routes each wavelet depends on the control wavelets sent at run time; its routes are checked with every position's rx and tx at once",
                    at: site)
            }
            if route.filter != nil {
                cannotCheck(
                    "filter: which wavelets the filter of \(route.pe) color \(route.color) lets into the core depends on the wavelets sent at run time; it is not checked",
                    at: site)
            }
        }
        for code in project.codes {
            for dsd in code.program.dsds where dsd.value.control {
                cannotCheck(
                    "control: \(dsd.label) sends control wavelets; what their commands do to the switches on the way, and which control tasks they run, is not checked",
                    at: dsd.site)
            }
        }
    }
}
