package mailroom.directory;

/** How Mailroom measures text: in characters (Unicode code points), as pydantic does, not UTF-16 units. */
public final class Text {
    private Text() {}

    /** The number of characters; a character outside the BMP (e.g. an emoji) counts once, not twice. */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
