package io.codex32.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex32.error.Codex32Exception;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PasswordHasherTest {

  private final PasswordHasher hasher = new PasswordHasher(4);

  @Test
  void hashVerifiesOnlyTheSamePassword() {
    String hash = hasher.hash("correct horse");

    assertThat(hash).startsWith("$2a$04$").doesNotContain("correct horse");
    assertThat(hasher.verify("correct horse", hash)).isTrue();
    assertThat(hasher.verify("correct horsf", hash)).isFalse();
    assertThat(hasher.hash("correct horse")).as("salted").isNotEqualTo(hash);
  }

  @Test
  void acceptsExactly72Utf8BytesAndRejectsMoreInsteadOfTruncating() {
    String max = "é".repeat(36);
    assertThat(hasher.verify(max, hasher.hash(max))).isTrue();

    assertThatThrownBy(() -> hasher.hash("é".repeat(36) + "a"))
        .isInstanceOfSatisfying(Codex32Exception.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("password_too_long");
        });
  }

  @Test
  void longerPasswordNeverMatchesItsPrefixHash() {
    String prefix = "a".repeat(72);
    assertThat(hasher.verify(prefix + "tail", hasher.hash(prefix))).isFalse();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"x", "$2a$04$short", "$2a$99$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz12345", "plain-text-password"})
  void malformedHashIsFalseNotAnException(String hash) {
    assertThat(hasher.verify("whatever1", hash)).isFalse();
  }

  @Test
  void rejectsCostOutsideBcryptRange() {
    assertThatThrownBy(() -> new PasswordHasher(3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PasswordHasher(32)).isInstanceOf(IllegalArgumentException.class);
  }
}
