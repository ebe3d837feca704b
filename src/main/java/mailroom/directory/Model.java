package mailroom.directory;

import java.util.List;
import java.util.Set;

/** The directory's value types, kept in one place so that the whole model reads at a glance. */
public final class Model {
    private Model() {}

    public record Limits(int publicMailboxes, int mailGroups, int mailGroupMembers, int aliasesPerAddress,
                         int publicMailboxesPerUser, int userMailboxes) {
        public static final Limits DEFAULTS = new Limits(1000, 1000, 10000, 10, 50, 10_000);
    }

    /** Data residency: null allowed list means the tenant has no multi-geo. */
    public record GeoPolicy(boolean multiGeo, List<String> allowed, String defaultGeo) {
        public static final GeoPolicy NONE = new GeoPolicy(false, List.of(), null);
    }

    public record Tenant(String key, String name, GeoPolicy geo, Limits limits, String hybridboxAccountId,
                         long createdAt, long updatedAt) {}

    public record Domain(String id, String tenantKey, String name, long createdAt, long updatedAt) {}

    public record Department(String tenantKey, String departmentId, String openDepartmentId, String name,
                             String parentDepartmentId) {}

    /** A person of the organisation (Feishu contact user); the internal id never leaves the server. */
    public record User(String id, String tenantKey, String userId, String openId, String unionId, String name) {
        public String idOfKind(UserIdKind kind) {
            return switch (kind) {
                case OPEN_ID -> openId;
                case UNION_ID -> unionId;
                case USER_ID -> userId;
            };
        }
    }

    public enum UserIdKind { OPEN_ID, UNION_ID, USER_ID }

    public enum DepartmentIdKind { DEPARTMENT_ID, OPEN_DEPARTMENT_ID }

    /** A reference to a user as a client names it: which id kind, and its value. */
    public record UserRef(UserIdKind kind, String value) {}

    public record DepartmentRef(DepartmentIdKind kind, String value) {}

    public record App(String appId, String tenantKey, String secretHash, Set<String> scopes) {}

    public enum WhoCanSend { ANYONE, ALL_INTERNAL_USERS, ALL_GROUP_MEMBERS, CUSTOM_MEMBERS }

    public record MailGroup(String id, String tenantKey, String email, String name, String description,
                            WhoCanSend whoCanSendMail, long directMembersCount, boolean includeExternalMember,
                            boolean includeAllCompanyMember) {}

    public enum MemberType { USER, DEPARTMENT, COMPANY, EXTERNAL_USER, MAIL_GROUP, PUBLIC_MAILBOX, OTHER_MEMBER }

    /** What a client asks to add as a member or permission member, before the directory resolves it. */
    public record MemberSpec(MemberType type, UserRef user, DepartmentRef department, String email) {}

    /** A resolved member: user/department are present for those types, email for address types. */
    public record Member(String id, MemberType type, User user, Department department, String email) {}

    /** Which kind of owner an address has in the one namespace. */
    public enum AddressKind {
        USER_MAILBOX, USER_ALIAS, PUBLIC_MAILBOX, PUBLIC_ALIAS, MAIL_GROUP, GROUP_ALIAS;

        public boolean isAlias() {
            return this == USER_ALIAS || this == PUBLIC_ALIAS || this == GROUP_ALIAS;
        }
    }

    /** One row of the address namespace: the address, its kind and the entity mail to it reaches. */
    public record AddressEntry(String address, String tenantKey, String domainId, AddressKind kind, String ownerId,
                               boolean catchAll, long createdAt) {}

    public enum MailboxStatus { ACTIVE, PAUSED, RECYCLED }

    /** A user mailbox: a seed user's mailbox or one created through Hybridbox (then without a user). */
    public record UserMailbox(String id, String tenantKey, String email, String domainId, String domainName,
                              String userRef, String firstName, String lastName, MailboxStatus status,
                              long quotaAllowed, long quotaUsed, long createdAt, long updatedAt) {
        public String localPart() {
            return email.substring(0, email.indexOf('@'));
        }
    }

    public record PublicMailbox(String id, String tenantKey, String email, String name, String geo,
                                MailboxStatus status, String toMailAddress) {}

    public record PublicMailboxMember(String id, User user) {}

    public record Alias(String primaryEmail, String emailAlias, boolean catchAll) {}

    /** One page of a listing, and the cursor to continue after it (null on the last page). */
    public record Page<T>(List<T> items, String nextCursor) {}

    public record PageRequest(String afterCursor, int size) {}
}
