/// The state of a link direction in the SDK GUI's vocabulary.
public enum LinkState: String, Sendable {
    case active = "Active", delayed = "Delayed", backpressure = "Backpressure"
}
