package mailroom.http;

/**
 * One route as the checked-in route table lists it: door, method, path template, what it requires
 * (Feishu scopes, any of them, joined by "|"; a Hybridbox capability) and its documented rate.
 * {@link #NONE} stands for "nothing required" or "no documented rate".
 */
public record RouteSpec(String door, String method, String path, String auth, String rate) {
    public static final String NONE = "-";

    public RouteSpec {
        auth = auth == null || auth.isBlank() ? NONE : auth;
        rate = rate == null || rate.isBlank() ? NONE : rate.replace(" ", "");
    }

    /** "METHOD /path", the label metrics and rate-limit overrides use. */
    public String describe() {
        return method + " " + path;
    }
}
