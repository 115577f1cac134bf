package io.codex32.security;

/** bcrypt password hashing. Blocking and deliberately slow: call it from a worker thread. */
public final class PasswordHasher {

  public PasswordHasher(int cost) {
    throw new UnsupportedOperationException("TODO");
  }

  public String hash(String password) {
    throw new UnsupportedOperationException("TODO");
  }

  public boolean verify(String password, String hash) {
    throw new UnsupportedOperationException("TODO");
  }
}
