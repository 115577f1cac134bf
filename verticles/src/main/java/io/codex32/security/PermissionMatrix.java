package io.codex32.security;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one permission matrix. docs/security.md shows the same table; the HTTP layer consults only
 * this class.
 */
public final class PermissionMatrix {

  private static final Map<Role, Set<Permission>> GRANTS = new EnumMap<>(Role.class);

  static {
    GRANTS.put(Role.VIEWER, EnumSet.of(Permission.BOTS_READ, Permission.DEVICES_READ));
    GRANTS.put(Role.USER, EnumSet.of(Permission.BOTS_READ, Permission.BOTS_CONTROL, Permission.DEVICES_READ));
    GRANTS.put(Role.OPERATOR, EnumSet.of(Permission.BOTS_READ, Permission.BOTS_CONTROL, Permission.BOTS_WRITE,
        Permission.DEVICES_READ, Permission.DEVICES_WRITE, Permission.GPIO_CONTROL));
    GRANTS.put(Role.ADMIN, EnumSet.allOf(Permission.class));
  }

  private PermissionMatrix() {
  }

  public static boolean allows(Role role, Permission permission) {
    return GRANTS.get(role).contains(permission);
  }

  public static Set<Permission> grantsOf(Role role) {
    return EnumSet.copyOf(GRANTS.get(role));
  }
}
