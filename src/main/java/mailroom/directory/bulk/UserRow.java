package mailroom.directory.bulk;

import java.util.List;

/**
 * One user of an import or export, keyed by user_id. A null email, open_id or union_id is one the row does not
 * give: a new user has no mailbox and generated ids, an existing one keeps what it has; null departments (no
 * such column) keep an existing user's, a list (empty too) replaces them.
 */
public record UserRow(int row, String userId, String name, String email, List<String> departments, String openId,
                      String unionId) {}
