package io.wsk.admin;

import at.favre.lib.crypto.bcrypt.BCrypt;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin login: plain or bcrypt passwords (as bcryptjs and htpasswd make them), and a bounded queue of checks. */
class AdminAuthTest {

    /** {@code bcryptjs.hashSync("s3cret!", 10)}, the reference's own hashing. */
    private static final String BCRYPTJS_HASH = "$2a$10$0HXE5OkEF39w91sUWPUre.FXge0RVA5hy2pcED6oCONSTg1nq5CG2";

    private static boolean check(AdminAuth auth, String user, String password) {
        return auth.check(user, password).join();
    }

    @Test
    void aPlainPasswordIsCheckedAsGiven() {
        AdminAuth auth = AdminAuth.parse("admin:pa:ss word");
        assertThat(auth.hashed()).isFalse();
        assertThat(check(auth, "admin", "pa:ss word")).isTrue();
        assertThat(check(auth, "admin", "pa:ss")).isFalse();
        assertThat(check(auth, "root", "pa:ss word")).isFalse();
        assertThat(check(auth, null, null)).isFalse();
    }

    @Test
    void bcryptHashesOfEveryVersionInUseAreChecked() {
        AdminAuth fromBcryptjs = AdminAuth.basic("admin", BCRYPTJS_HASH);
        assertThat(fromBcryptjs.hashed()).isTrue();
        assertThat(check(fromBcryptjs, "admin", "s3cret!")).isTrue();
        assertThat(check(fromBcryptjs, "admin", "s3cret")).isFalse();

        for (BCrypt.Version version : List.of(BCrypt.Version.VERSION_2B, BCrypt.Version.VERSION_2Y)) {
            String hash = new String(BCrypt.with(version).hashToChar(4, "hunter2".toCharArray()));
            AdminAuth auth = AdminAuth.basic("ops", hash);
            assertThat(check(auth, "ops", "hunter2")).as(hash).isTrue();
            assertThat(check(auth, "ops", "hunter3")).as(hash).isFalse();
        }
    }

    @Test
    void passwordsPastBcryptsLimitMatchAsBcryptjsTruncatesThem() {
        String longPassword = "x".repeat(72);
        String hash = new String(BCrypt.withDefaults().hashToChar(4, longPassword.toCharArray()));
        AdminAuth auth = AdminAuth.basic("admin", hash);
        assertThat(check(auth, "admin", longPassword + "ignored past 72 bytes")).isTrue();
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> AdminAuth.parse("nocolon")).hasMessageContaining("USER:PASSWORD");
        assertThatThrownBy(() -> AdminAuth.parse(":password")).hasMessageContaining("USER:PASSWORD");
        assertThatThrownBy(() -> AdminAuth.parse("user:")).hasMessageContaining("USER:PASSWORD");
        assertThat(AdminAuth.none().required()).isFalse();
    }

    @Test
    void aFloodOfLoginsIsRefusedRatherThanQueuedWithoutEnd() {
        // Cost 12: each check takes long enough for the queue to fill behind it.
        String slow = new String(BCrypt.withDefaults().hashToChar(12, "pw".toCharArray()));
        AdminAuth auth = AdminAuth.basic("admin", slow);
        List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            attempts.add(auth.check("admin", "guess " + i));
        }
        long refused = attempts.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        assertThat(refused).as("refused at once").isGreaterThanOrEqualTo(40 - 17);
        assertThatThrownBy(() -> attempts.get(39).join()).isInstanceOf(CompletionException.class)
                .hasMessageContaining("too many login attempts");
        auth.close();
    }
}
