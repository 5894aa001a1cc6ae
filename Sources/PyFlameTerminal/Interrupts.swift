import CTermShim

/// Ctrl-C as a flag: the shell survives it, el_gets returns (the line is dropped), and a long
/// evaluation polls ``pending`` and stops.
///
/// SIGTERM and SIGHUP (the terminal closed) raise the same flag for good and are remembered in
/// ``terminationSignal``: whatever runs stops as after Ctrl-C, the line sources end, and the shell
/// ends its session the normal way (an open trace is closed and renamed into place) before it exits
/// with 128 + the signal's number.
public enum Interrupts {
    public static func install() {
        _ = pfs_install_sigint_handler()
        _ = pfs_install_termination_handler()
    }
    /// Reads and clears the flag (a termination keeps it raised).
    @discardableResult public static func take() -> Bool { pfs_take_interrupt() != 0 }
    public static var pending: Bool { pfs_interrupt_pending() != 0 }
    /// The signal that asked the shell to end (SIGTERM or SIGHUP), if one arrived.
    public static var terminationSignal: Int32? {
        let signal = pfs_termination_signal()
        return signal == 0 ? nil : signal
    }
}
