package mailroom.directory.address;

import mailroom.directory.mailbox.MailboxStatus;

/** An address of the namespace with what users/query says of it: its kind and its owner's state. */
public record OwnedAddress(String address, AddressKind kind, MailboxStatus ownerStatus) {}
