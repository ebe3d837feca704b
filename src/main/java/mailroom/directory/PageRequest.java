package mailroom.directory;

public record PageRequest(String afterCursor, int size) {}
