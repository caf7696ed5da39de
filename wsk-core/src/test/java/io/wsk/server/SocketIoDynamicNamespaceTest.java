package io.wsk.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dynamic namespaces ({@code io.of(Pattern)}): a name the parent accepts becomes a child
 * namespace on its first CONNECT, the parent's middlewares and handlers apply to every child,
 * existing namespaces win over parents, and names nobody accepts are refused.
 */
class SocketIoDynamicNamespaceTest extends SioTestSupport {

    private static final Pattern TEAMS = Pattern.compile("^/team-\\d+$");

    private final BlockingQueue<String> connections = new LinkedBlockingQueue<>();

    @Test
    void aMatchingNameCreatesAChildOnFirstConnect() {
        List<String> created = new CopyOnWriteArrayList<>();
        server.io().onNewNamespace(nsp -> created.add(nsp.name()));
        ParentNamespace teams = server.io().of(TEAMS);
        teams.onConnection(socket -> connections.add(socket.namespace().name() + " " + socket.id()));
        assertThat(server.io().namespaces()).doesNotContainKey("/team-1");

        SioClient first = open();
        String firstSid = first.connect("/team-1", null);
        SioClient second = open();
        String secondSid = second.connect("/team-1", null);

        assertThat(take(connections)).isEqualTo("/team-1 " + firstSid);
        assertThat(take(connections)).isEqualTo("/team-1 " + secondSid);
        Namespace child = server.io().namespaces().get("/team-1");
        assertThat(child).isNotNull();
        assertThat(teams.children()).containsExactly(child);
        assertThat(child.sockets()).containsOnlyKeys(firstSid, secondSid);
        assertThat(created).containsExactly("/team-1");
    }

    @Test
    void theParentsMiddlewaresAndHandlersApplyToEveryChild() {
        ParentNamespace teams = server.io().of(TEAMS);
        teams.use((socket, next) -> {
            if (socket.handshake().auth().has("member")) {
                next.proceed();
            } else {
                next.reject("members only");
            }
        });
        teams.on("whoami", (socket, args, ack) -> ack.send(socket.namespace().name(), args.node(0)));
        SioClient client = open();

        client.send("40/team-7,");
        assertThat(client.next()).isEqualTo("44/team-7,{\"message\":\"members only\"}");

        client.connect("/team-7", "{\"member\":true}");
        client.connect("/team-8", "{\"member\":true}");
        client.send("42/team-7,1[\"whoami\",\"a\"]");
        assertThat(client.next()).isEqualTo("43/team-7,1[\"/team-7\",\"a\"]");
        client.send("42/team-8,2[\"whoami\",\"b\"]");
        assertThat(client.next()).isEqualTo("43/team-8,2[\"/team-8\",\"b\"]");
    }

    @Test
    void handlersAddedToTheParentLaterReachExistingChildren() {
        ParentNamespace teams = server.io().of(TEAMS);
        SioClient client = open();
        client.connect("/team-3", null);

        teams.on("late", (socket, args, ack) -> ack.send("handled"));

        client.send("42/team-3,5[\"late\"]");
        assertThat(client.next()).isEqualTo("43/team-3,5[\"handled\"]");
    }

    @Test
    void anExistingNamespaceTakesPriorityOverAParent() {
        server.io().of("/team-42").onConnection(socket -> connections.add("static"));
        ParentNamespace teams = server.io().of(TEAMS);
        teams.onConnection(socket -> connections.add("dynamic " + socket.namespace().name()));
        SioClient client = open();

        client.connect("/team-42", null);
        client.connect("/team-43", null);

        assertThat(take(connections)).isEqualTo("static");
        assertThat(take(connections)).isEqualTo("dynamic /team-43");
        assertThat(teams.children()).extracting(Namespace::name).containsExactly("/team-43");
    }

    @Test
    void theFirstParentThatAcceptsANameWins() {
        server.io().of((name, auth) -> name.startsWith("/a")).onConnection(socket -> connections.add("first"));
        server.io().of((name, auth) -> true).onConnection(socket -> connections.add("second"));
        SioClient client = open();

        client.connect("/abc", null);
        client.connect("/xyz", null);

        assertThat(take(connections)).isEqualTo("first");
        assertThat(take(connections)).isEqualTo("second");
    }

    @Test
    void aMatcherMayDecideOnTheAuthPayload() {
        server.io().of((name, auth) -> auth.path("invited").asBoolean());
        SioClient client = open();

        client.send("40/party,{\"invited\":false}");
        assertThat(client.next()).isEqualTo("44/party,{\"message\":\"Invalid namespace\"}");
        assertThat(server.io().namespaces()).doesNotContainKey("/party");

        client.connect("/party", "{\"invited\":true}");
        assertThat(server.io().namespaces()).containsKey("/party");
    }

    @Test
    void aNameNoParentAcceptsIsAnInvalidNamespace() {
        server.io().of(TEAMS);
        SioClient client = open();

        client.send("40/team-x,");
        assertThat(client.next()).isEqualTo("44/team-x,{\"message\":\"Invalid namespace\"}");
        client.send("40/other");
        assertThat(client.next()).isEqualTo("44/other,{\"message\":\"Invalid namespace\"}");

        assertThat(server.io().namespaces()).containsOnlyKeys("/");
        client.connect();
    }

    @Test
    void theParentEmitsToEveryChild() {
        ParentNamespace teams = server.io().of(TEAMS);
        SioClient one = open();
        one.connect("/team-1", null);
        SioClient two = open();
        two.connect("/team-2", null);
        SioClient main = connected();

        teams.emit("news", "all teams");

        assertThat(one.next()).isEqualTo("42/team-1,[\"news\",\"all teams\"]");
        assertThat(two.next()).isEqualTo("42/team-2,[\"news\",\"all teams\"]");
        server.io().emit("sentinel");
        assertThat(main.next()).as("the main namespace is not a child").isEqualTo("42[\"sentinel\"]");
    }

    @Test
    void childrenAreCountedUnderTheirParentsPatternNotEachByName() {
        server.io().of(TEAMS);
        server.io().of((name, auth) -> name.startsWith("/room-"));
        SioClient client = open();
        client.connect("/team-1", null);
        client.connect("/team-2", null);
        client.connect("/room-9", null);

        assertThat(server.io().stats().socketsByNamespace())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("/", 0, "^/team-\\d+$", 2, "dynamic-2", 1));
    }
}
