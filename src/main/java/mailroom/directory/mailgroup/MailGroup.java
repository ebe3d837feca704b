package mailroom.directory.mailgroup;

public record MailGroup(String id, String tenantKey, String email, String name, String description,
                        WhoCanSend whoCanSendMail, long directMembersCount, boolean includeExternalMember,
                        boolean includeAllCompanyMember) {}
