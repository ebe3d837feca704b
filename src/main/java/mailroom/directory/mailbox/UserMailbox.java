package mailroom.directory.mailbox;

/** A user mailbox: a user's mailbox, or one created on its own (then without a user). */
public record UserMailbox(String id, String tenantKey, String email, String domainId, String domainName,
                          String userRef, String firstName, String lastName, MailboxStatus status,
                          long quotaAllowed, long quotaUsed, long createdAt, long updatedAt) {
    public String localPart() {
        return email.substring(0, email.indexOf('@'));
    }
}
