package io.wsk.admin;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Who may use the admin UI: nobody checked ({@link #none()}), or one user with a password given
 * in plain text or as a bcrypt hash ({@link #basic}), as the reference's {@code auth} option.
 *
 * <p>Password checks run on one thread of their own with a short queue: a bcrypt check takes
 * tens of milliseconds by design, which must not stall an event loop, and a flood of login
 * attempts is refused rather than queued without end (so it costs one core at most, and guessing
 * stays slow). A successful login gets a {@linkplain AdminSessions session} the UI keeps.
 */
public final class AdminAuth {

    private static final Pattern BCRYPT = Pattern.compile("\\$2[abxy]?\\$\\d{2}\\$[./A-Za-z0-9]{53}");
    private static final int PENDING_CHECKS = 16;

    private final String username;
    /** The bcrypt hash, or {@code null} for a plain password. */
    private final String hash;
    /** SHA-256 of the plain password, compared in constant time. */
    private final byte[] plainDigest;
    private final AdminSessions sessions;
    private final ThreadPoolExecutor checker;

    private AdminAuth(String username, String password) {
        this.username = username;
        boolean isHash = BCRYPT.matcher(password).matches();
        this.hash = isHash ? password : null;
        this.plainDigest = isHash ? null : sha256(password);
        // The key of the sessions derives from the credentials: every node configured alike
        // accepts the others' sessions (no shared store), and a new password ends the old ones.
        this.sessions = new AdminSessions(sha256("wsk-admin-session\0" + username + "\0" + password));
        this.checker = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(PENDING_CHECKS), r -> {
            Thread t = new Thread(r, "wsk-admin-auth");
            t.setDaemon(true);
            return t;
        });
        checker.allowCoreThreadTimeOut(true);
    }

    /** No login: anyone who reaches the admin namespace may use it (refused by the CLI unless asked for). */
    public static AdminAuth none() {
        return new AdminAuth(null, "");
    }

    /** {@code password}: plain text, or a bcrypt hash ({@code $2a$}, {@code $2b$}, {@code $2y$}). */
    public static AdminAuth basic(String username, String password) {
        if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
            throw new IllegalArgumentException("the admin user and password must not be empty");
        }
        return new AdminAuth(username, password);
    }

    /** {@code USER:PASSWORD}, the form of {@code --admin-auth}; the password may contain ':'. */
    public static AdminAuth parse(String userColonPassword) {
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0 || colon == userColonPassword.length() - 1) {
            throw new IllegalArgumentException("--admin-auth wants USER:PASSWORD (the password may be a bcrypt hash)");
        }
        return basic(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
    }

    public boolean required() {
        return username != null;
    }

    /** Whether the password is kept as a bcrypt hash. */
    public boolean hashed() {
        return hash != null;
    }

    AdminSessions sessions() {
        return sessions;
    }

    /**
     * Checks a login off the caller's thread; completes with whether it holds, or exceptionally
     * when too many checks are waiting already.
     */
    CompletableFuture<Boolean> check(String user, String password) {
        if (user == null || password == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        try {
            checker.execute(() -> result.complete(matches(user, password)));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("too many login attempts, try again"));
        }
        return result;
    }

    private boolean matches(String user, String password) {
        boolean userMatches = MessageDigest.isEqual(sha256(user), sha256(username));
        boolean passwordMatches;
        if (hash != null) {
            // bcryptjs truncates passwords past 72 bytes; so must we, or long passwords never match.
            passwordMatches = BCrypt.verifyer(BCrypt.Version.VERSION_2A, LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A))
                    .verify(password.toCharArray(), hash.toCharArray()).verified;
        } else {
            passwordMatches = MessageDigest.isEqual(sha256(password), plainDigest);
        }
        return userMatches && passwordMatches;
    }

    void close() {
        checker.shutdownNow();
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
