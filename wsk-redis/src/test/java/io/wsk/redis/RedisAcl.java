package io.wsk.redis;

import io.wsk.testkit.RedisServer;

import java.util.ArrayList;
import java.util.List;

/**
 * The restricted Redis user of the tests: the least the adapters need, as {@code ACL SETUSER}
 * rules (the line in OPERATIONS.md). {@link #denials} reads {@code ACL LOG}, where Redis records
 * each command, key or channel it refused, so a test can say what was missing.
 */
final class RedisAcl {

    static final String USER = "wsk";
    static final String PASSWORD = "wsk-acl-pw";
    /** {@code user:password@}, for a URL. */
    static final String USER_INFO = USER + ":" + PASSWORD + "@";

    static final List<String> RULES = List.of(
            // The classic adapter's PSUBSCRIBE pattern must be allowed literally, one per namespace.
            "resetchannels", "&socket.io*", "&socket.io#/#*",
            "resetkeys", "~socket.io*", "~sio:session:*",
            "-@all",
            // Lettuce: the handshake, naming its connections, and reading a cluster's topology.
            "+hello", "+auth", "+ping", "+client|setname", "+info", "+cluster|nodes", "+cluster|myid",
            "+publish", "+subscribe", "+unsubscribe", "+psubscribe", "+punsubscribe",
            "+spublish", "+ssubscribe", "+sunsubscribe", "+pubsub|numsub", "+pubsub|shardnumsub",
            "+xadd", "+xread", "+xrange", "+getdel", "+set", "+eval");

    private RedisAcl() {
    }

    /** Creates (or resets) the user on {@code server}. */
    static void create(RedisServer server) {
        create(server, USER, RULES);
    }

    /** Creates (or resets) {@code user}, password {@link #PASSWORD}, with {@code rules} on {@code server}. */
    static void create(RedisServer server, String user, List<String> rules) {
        List<Object> command = new ArrayList<>(List.of("ACL", "SETUSER", user, "reset", "on", ">" + PASSWORD));
        command.addAll(rules);
        server.command(command.toArray());
        server.command("ACL", "LOG", "RESET");
    }

    /** How many times {@code server} refused {@code user} {@code object} (a command, key or channel), by {@code ACL LOG}. */
    static long refusals(RedisServer server, String user, String object) {
        long count = 0;
        for (Object entry : (List<?>) server.command("ACL", "LOG")) {
            List<?> fields = (List<?>) entry;
            java.util.Map<String, Object> byName = new java.util.HashMap<>();
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                byName.put(String.valueOf(fields.get(i)), fields.get(i + 1));
            }
            if (user.equals(byName.get("username")) && object.equals(byName.get("object"))) {
                count += (Long) byName.get("count");
            }
        }
        return count;
    }

    /** Forgets what {@code server} refused so far. */
    static void resetLog(RedisServer server) {
        server.command("ACL", "LOG", "RESET");
    }

    /** What {@code server} refused the user since {@link #create}: {@code reason object} each. */
    static List<String> denials(RedisServer server) {
        List<String> denied = new ArrayList<>();
        for (Object entry : (List<?>) server.command("ACL", "LOG")) {
            List<?> fields = (List<?>) entry;
            String reason = null;
            String object = null;
            String user = null;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                switch (String.valueOf(fields.get(i))) {
                    case "reason" -> reason = String.valueOf(fields.get(i + 1));
                    case "object" -> object = String.valueOf(fields.get(i + 1));
                    case "username" -> user = String.valueOf(fields.get(i + 1));
                    default -> { }
                }
            }
            if (USER.equals(user)) {
                denied.add(server.port() + ": " + reason + " " + object);
            }
        }
        return denied;
    }

    /** The rules as one {@code user} line of {@code redis.conf}. */
    static String configLine() {
        return "user " + USER + " on >" + PASSWORD + " " + String.join(" ", RULES);
    }
}
