/// `1 wavelet`, `3 wavelets`: a count with its noun, plural when the count is not one.
func plural(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
