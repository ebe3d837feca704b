package mailroom.directory.mailgroup;

public enum WhoCanSend { ANYONE, ALL_INTERNAL_USERS, ALL_GROUP_MEMBERS, CUSTOM_MEMBERS }
