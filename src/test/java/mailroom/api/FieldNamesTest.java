package mailroom.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import mailroom.directory.DirectoryException;
import mailroom.directory.Reason;
import org.junit.jupiter.api.Test;

/** The directory's neutral field paths rendered in a door's wire names, messages included. */
class FieldNamesTest {
    private final FieldNames feishu = new FieldNames(Map.of("members", "items", "user", "user_id", "address", "email",
            "managers", "mailgroup_manager_list"));

    @Test
    void eachSegmentIsRenamedAndIndexesAreKept() {
        assertThat(feishu.path("members[1].user")).isEqualTo("items[1].user_id");
        assertThat(feishu.path("managers[0].user")).isEqualTo("mailgroup_manager_list[0].user_id");
        assertThat(feishu.path("address")).isEqualTo("email");
        assertThat(feishu.path("geo")).as("names the door does not rename").isEqualTo("geo");
        assertThat(feishu.path(null)).isNull();
    }

    @Test
    void aMessageIsRewrittenOnlyWhenItNamesItsFieldFirst() {
        DirectoryException named = DirectoryException.ofField(Reason.INVALID_ARGUMENT, "members[2].address",
                " x@acme.test is not a mail group of this tenant");
        assertThat(feishu.message(named)).isEqualTo("items[2].email x@acme.test is not a mail group of this tenant");
        // "user" is also the message's first word here, yet the message is not about the path: left alone.
        DirectoryException notFound = new DirectoryException(Reason.USER_NOT_FOUND, "user ou_999 not found", "user");
        assertThat(feishu.message(notFound)).isEqualTo("user ou_999 not found");
    }
}
