package mailroom.directory.mailbox;

public enum MailboxStatus { ACTIVE, PAUSED, RECYCLED }
