import Foundation
@testable import PyFlameShell
import Testing

/// `checkpoint_memory` is capped at a quarter of the machine's memory: a setting of 1 TiB on a whole
/// wafer would have the system kill the shell before the checkpoints thinned out.
@Suite struct CheckpointMemoryCapTests {
    @Test func theCheckpointsNeverTakeMoreThanAQuarterOfTheMachine() {
        let shell = Shell()
        #expect(!shell.execute("set checkpoint_memory 1099511627776").failed)
        let quarter = Int(clamping: ProcessInfo.processInfo.physicalMemory / 4)
        #expect(shell.checkpointPolicy.byteLimit <= max(quarter, 1 << 26))
        #expect(!shell.execute("set checkpoint_memory 1Mi").failed)
        #expect(shell.checkpointPolicy.byteLimit == 1 << 20)
    }
}
