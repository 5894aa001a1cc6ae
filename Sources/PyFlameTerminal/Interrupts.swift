import CTermShim

/// Ctrl-C as a flag: the shell survives it, el_gets returns (the line is dropped), and a long
/// evaluation polls ``pending`` and stops.
public enum Interrupts {
    public static func install() { _ = pfs_install_sigint_handler() }
    /// Reads and clears the flag.
    @discardableResult public static func take() -> Bool { pfs_take_interrupt() != 0 }
    public static var pending: Bool { pfs_interrupt_pending() != 0 }
}
