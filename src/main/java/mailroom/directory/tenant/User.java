package mailroom.directory.tenant;

/** A person of the organisation (a contact user); the internal id never leaves the server. */
public record User(String id, String tenantKey, String userId, String openId, String unionId, String name) {
    public String idOfKind(UserIdKind kind) {
        return switch (kind) {
            case OPEN_ID -> openId;
            case UNION_ID -> unionId;
            case USER_ID -> userId;
        };
    }
}
