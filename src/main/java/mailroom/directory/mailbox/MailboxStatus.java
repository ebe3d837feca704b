package mailroom.directory.mailbox;

/** Whether a mailbox is in service, paused (receives, cannot send) or in the recycle bin. */
public enum MailboxStatus { ACTIVE, PAUSED, RECYCLED }
