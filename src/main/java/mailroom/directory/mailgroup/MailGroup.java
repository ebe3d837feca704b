package mailroom.directory.mailgroup;

/** A mail group with the counts and flags derived from its members. */
public record MailGroup(String id, String tenantKey, String email, String name, String description,
                        WhoCanSend whoCanSendMail, long directMembersCount, boolean includeExternalMember,
                        boolean includeAllCompanyMember) {}
