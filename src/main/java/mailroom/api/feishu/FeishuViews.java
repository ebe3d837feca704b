package mailroom.api.feishu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import mailroom.directory.Page;
import mailroom.directory.address.Alias;
import mailroom.directory.mailgroup.MailGroup;
import mailroom.directory.mailgroup.Member;
import mailroom.directory.tenant.DepartmentIdKind;
import mailroom.directory.tenant.UserIdKind;

/** Renders directory values in Feishu's wire shapes (spec §2), with ids of the requested kinds. */
final class FeishuViews {
    private FeishuViews() {}

    static Map<String, Object> mailGroup(MailGroup g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mailgroup_id", g.id());
        m.put("email", g.email());
        m.put("name", g.name());
        m.put("description", g.description());
        m.put("direct_members_count", Long.toString(g.directMembersCount()));
        m.put("include_external_member", g.includeExternalMember());
        m.put("include_all_company_member", g.includeAllCompanyMember());
        m.put("who_can_send_mail", g.whoCanSendMail().name());
        return m;
    }

    /** A member or permission member; {@code idField} is member_id or permission_member_id. */
    static Map<String, Object> member(Member member, String idField, UserIdKind userKind, DepartmentIdKind deptKind) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(idField, member.id());
        if (member.user() != null) m.put("user_id", member.user().idOfKind(userKind));
        if (member.department() != null) {
            m.put("department_id", deptKind == DepartmentIdKind.DEPARTMENT_ID
                    ? member.department().departmentId() : member.department().openDepartmentId());
        }
        if (member.email() != null) m.put("email", member.email());
        m.put("type", member.type().name());
        return m;
    }

    static Map<String, Object> alias(Alias a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("primary_email", a.primaryEmail());
        m.put("email_alias", a.emailAlias());
        return m;
    }

    /** A page in Feishu's shape: page_token only while has_more, items always present. */
    static <T> Map<String, Object> page(Page<T> page, Function<T, Object> view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("has_more", page.nextCursor() != null);
        if (page.nextCursor() != null) m.put("page_token", FeishuCall.encodePageToken(page.nextCursor()));
        m.put("items", page.items().stream().map(view).toList());
        return m;
    }

    static Map<String, Object> items(List<?> items) {
        return Map.of("items", items);
    }
}
