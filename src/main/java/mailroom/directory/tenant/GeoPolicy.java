package mailroom.directory.tenant;

import java.util.List;

/** Data residency: null allowed list means the tenant has no multi-geo. */
public record GeoPolicy(boolean multiGeo, List<String> allowed, String defaultGeo) {
    public static final GeoPolicy NONE = new GeoPolicy(false, List.of(), null);
}
