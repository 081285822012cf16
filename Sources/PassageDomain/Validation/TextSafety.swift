/// Characters that must not reach a record: control characters (NUL among them), which other systems cut
/// text at or show as nothing, and the Unicode controls that reverse or isolate the direction of text, which
/// make "exe.txt" look like "txt.exe" and a name read differently on screen than it is stored. Joiners (used in
/// Persian and Indic names) and the plain direction marks are allowed.
public enum TextSafety {
    static let directionControls: ClosedRange<UInt32> = 0x202A...0x202E
    static let isolates: ClosedRange<UInt32> = 0x2066...0x2069

    /// True when the text holds a control or direction-changing character; line breaks and tabs count unless
    /// `multiline` allows them.
    public static func hasHiddenCharacters(_ text: String, multiline: Bool = false) -> Bool {
        text.unicodeScalars.contains { s in
            if multiline && (s == "\n" || s == "\r" || s == "\t") { return false }
            return s.properties.generalCategory == .control || directionControls.contains(s.value)
                || isolates.contains(s.value) || s.value == 0xFEFF
        }
    }

    public static let message =
        "contains a control or direction-changing character (invisible on screen); type it again"
}
