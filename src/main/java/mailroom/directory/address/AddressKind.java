package mailroom.directory.address;

/** Which kind of owner an address has in the one namespace. */
public enum AddressKind {
    USER_MAILBOX, USER_ALIAS, PUBLIC_MAILBOX, PUBLIC_ALIAS, MAIL_GROUP, GROUP_ALIAS;

    public boolean isAlias() {
        return this == USER_ALIAS || this == PUBLIC_ALIAS || this == GROUP_ALIAS;
    }
}
