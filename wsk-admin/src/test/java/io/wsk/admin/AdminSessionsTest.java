package io.wsk.admin;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Signed admin sessions: valid on every node with the same key, for a day, and not forgeable. */
class AdminSessionsTest {

    private static final byte[] KEY = AdminAuth.sha256("key");
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void aSessionIsValidWhereverTheKeyIsTheSame() {
        String id = new AdminSessions(KEY).issue();
        assertThat(new AdminSessions(KEY).isValid(id)).isTrue();
        assertThat(new AdminSessions(AdminAuth.sha256("another key")).isValid(id)).isFalse();
    }

    @Test
    void aSessionEndsAfterItsLifetime() {
        String id = new AdminSessions(KEY, Clock.fixed(NOW, ZoneOffset.UTC)).issue();
        Instant lastSecond = NOW.plusSeconds(AdminSessions.LIFETIME_SECONDS);
        assertThat(new AdminSessions(KEY, Clock.fixed(lastSecond, ZoneOffset.UTC)).isValid(id)).isTrue();
        assertThat(new AdminSessions(KEY, Clock.fixed(lastSecond.plus(Duration.ofSeconds(1)), ZoneOffset.UTC)).isValid(id)).isFalse();
    }

    @Test
    void aChangedOrMadeUpIdIsRefused() {
        AdminSessions sessions = new AdminSessions(KEY);
        String id = sessions.issue();
        String[] parts = id.split("\\.");
        String longerLife = Long.toString(Long.parseLong(parts[0], 36) + 1000, 36) + "." + parts[1] + "." + parts[2];
        assertThat(sessions.isValid(longerLife)).isFalse();
        assertThat(sessions.isValid(parts[0] + "." + parts[1] + "." + "00".repeat(16))).isFalse();
        for (String junk : new String[] {null, "", "abc", "a.b", "..", "zz.zz.zz", "x".repeat(200), id + "0"}) {
            assertThat(sessions.isValid(junk)).as(String.valueOf(junk)).isFalse();
        }
        assertThat(sessions.issue()).as("a new id each time").isNotEqualTo(id);
    }
}
