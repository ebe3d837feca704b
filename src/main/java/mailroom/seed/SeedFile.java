package mailroom.seed;

import java.util.List;
import java.util.Map;

/** The seed file's shape (DESIGN.md "Seed file"), read from YAML or JSON with snake_case keys. */
public record SeedFile(List<TenantSeed> tenants) {
    public record TenantSeed(String key, String name, List<String> domains, GeoSeed geo, LimitsSeed limits,
                             List<AppSeed> apps, List<DepartmentSeed> departments, List<UserSeed> users,
                             HybridboxSeed hybridbox, Map<String, String> rateLimits) {}

    public record GeoSeed(Boolean multiGeo, List<String> allowed, String defaultGeo) {}

    public record LimitsSeed(Integer publicMailboxes, Integer mailGroups, Integer mailGroupMembers,
                             Integer aliasesPerAddress, Integer publicMailboxesPerUser, Integer userMailboxes) {}

    public record AppSeed(String appId, String appSecret, List<String> scopes) {}

    public record DepartmentSeed(String departmentId, String openDepartmentId, String name, String parent) {}

    public record UserSeed(String userId, String openId, String unionId, String name, String email,
                           List<String> departments) {}

    public record HybridboxSeed(String accountId, List<ServiceAccountSeed> serviceAccounts) {}

    public record ServiceAccountSeed(String name, String token, List<String> permissions) {}
}
