package mailroom.testing;

import mailroom.directory.Caller;

/** Callers for tests that drive the directory directly, as an operator named "test". */
public final class TestCallers {
    private TestCallers() {}

    public static Caller as(String tenantKey) {
        return new Caller(tenantKey, Caller.ActorKind.OPERATOR, "test", null);
    }
}
