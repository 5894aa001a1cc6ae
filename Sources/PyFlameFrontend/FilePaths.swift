import Foundation

/// File names as the user types them: `~` expands, relative names resolve against a base folder.
public enum FilePaths {
    public static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("~/") || path == "~" {
            return NSString(string: path).expandingTildeInPath
        }
        if path.hasPrefix("/") || base.isEmpty { return path }
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }
}
