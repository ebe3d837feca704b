package mailroom.directory.mailgroup;

/** Which of a group's member lists: delivery members or permission (may-send) members. */
public enum MemberList { MEMBERS, PERMISSION_MEMBERS }
