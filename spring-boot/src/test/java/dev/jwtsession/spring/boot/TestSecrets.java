package dev.jwtsession.spring.boot;

/** Test-only secrets (obviously not real) and the properties that set them. */
final class TestSecrets {

  static final String ACCESS = "test-access-secret-that-is-32-bytes-long!";
  static final String REFRESH = "test-refresh-secret-that-is-32-bytes-long";

  static final String[] PROPERTIES = {
    "jwt-session.access.secret=" + ACCESS, "jwt-session.refresh.secret=" + REFRESH
  };

  private TestSecrets() {}
}
