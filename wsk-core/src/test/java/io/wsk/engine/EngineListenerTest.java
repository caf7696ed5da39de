package io.wsk.engine;

import io.netty.handler.codec.http.HttpHeaders;
import io.wsk.http.HttpExchange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hooks Node apps use on {@code io.engine}: sessions opened, upgraded and closed
 * ({@code connection}, {@code conn.on("upgrade" | "close")}), requests refused
 * ({@code connection_error}), and session ids from the application ({@code generateId}).
 */
class EngineListenerTest extends EngineTestSupport {

    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

    private String take() throws InterruptedException {
        String next = seen.poll(2, TimeUnit.SECONDS);
        assertThat(next).as("an engine event within 2 s").isNotNull();
        return next;
    }

    private void listen() {
        server.engine().addListener(new EngineListener() {
            @Override
            public void onConnection(EngineSession session) {
                seen.add("connection " + session.id() + " " + session.transportName().wireName());
                session.onUpgrade(() -> seen.add("session upgrade " + session.transportName().wireName()));
                session.onClose(reason -> seen.add("session close " + reason));
            }

            @Override
            public void onUpgrade(EngineSession session) {
                seen.add("upgrade " + session.id());
            }

            @Override
            public void onClose(EngineSession session, String reason) {
                seen.add("close " + session.id() + " " + reason);
            }

            @Override
            public void onConnectionError(ConnectionError error) {
                seen.add("error " + error.code() + " " + error.message() + " " + error.uri());
            }
        });
    }

    @Test
    void aSessionIsSeenOpenedUpgradedAndClosed() throws Exception {
        listen();
        String sid = http.handshake();
        assertThat(take()).isEqualTo("connection " + sid + " polling");

        WsTestClient ws = ws(wsQuery(sid));
        ws.sendText("2probe");
        assertThat(ws.nextText()).isEqualTo("3probe");
        http.poll(sid);
        ws.sendText("5");
        // The session's own observers first, then the endpoint's.
        assertThat(take()).isEqualTo("session upgrade websocket");
        assertThat(take()).isEqualTo("upgrade " + sid);

        ws.sendText("1");
        assertThat(take()).isEqualTo("session close transport close");
        assertThat(take()).isEqualTo("close " + sid + " transport close");
    }

    @Test
    void refusedRequestsAreReportedWithTheirCode() throws Exception {
        listen();
        assertEngineError(http.get("EIO=4&transport=bogus"), 400, 0, "Transport unknown");
        assertThat(take()).isEqualTo("error 0 Transport unknown /engine.io/?EIO=4&transport=bogus");
        assertEngineError(http.poll("nope"), 400, 1, "Session ID unknown");
        assertThat(take()).startsWith("error 1 Session ID unknown ");
    }

    @Test
    void sessionIdsComeFromTheApplicationUnlessTheyClash() throws Exception {
        List<String> ids = List.of("node-a.1", "node-a.1", "");
        AtomicInteger next = new AtomicInteger();
        restartWith(b -> b.sessionIds(request -> ids.get(next.getAndIncrement())));
        assertThat(http.handshake()).isEqualTo("node-a.1");
        String second = http.handshake();
        assertThat(second).as("an id in use is replaced").isNotEqualTo("node-a.1").hasSize(20);
        assertThat(http.handshake()).as("an empty id is replaced").hasSize(20);
        assertThat(server.engine().session("node-a.1")).isNotNull();
    }

    @Test
    void aFailingListenerSparesTheOthersAndTheSession() throws Exception {
        server.engine().addListener(new EngineListener() {
            @Override
            public void onConnection(EngineSession session) {
                throw new IllegalStateException("boom");
            }
        });
        listen();
        String sid = http.handshake();
        assertThat(take()).isEqualTo("connection " + sid + " polling");
        assertThat(server.engine().session(sid)).isNotNull();
        assertThat(seen.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void answersCarryTheHeadersListenersAdd() throws Exception {
        server.engine().addListener(new EngineListener() {
            private int answers;

            @Override
            public void onInitialHeaders(HttpHeaders headers, HttpExchange request) {
                headers.add("set-cookie", "route=node-1; Path=/");
            }

            @Override
            public void onHeaders(HttpHeaders headers, HttpExchange request) {
                headers.set("x-answer", Integer.toString(++answers));
            }
        });
        var open = http.get("EIO=4&transport=polling");
        assertThat(open.headers().allValues("set-cookie")).containsExactly("route=node-1; Path=/");
        assertThat(open.headers().firstValue("x-answer")).hasValue("1");
        String sid = (String) MiniJson.parseObject(open.body().substring(1)).get("sid");
        var post = http.post(sid, "4hi");
        assertThat(post.headers().firstValue("x-answer")).hasValue("2");
        assertThat(post.headers().allValues("set-cookie")).as("only the handshake's answer").isEmpty();
        var poll = http.poll(sid);
        assertThat(poll.headers().firstValue("x-answer")).hasValue("3");

        RawConnection ws = raw();
        ws.write(RawConnection.webSocketRequest(server.port(), "EIO=4&transport=websocket"));
        RawConnection.Response upgrade = ws.readResponse();
        assertThat(upgrade.status()).isEqualTo(101);
        assertThat(upgrade.header("set-cookie")).isEqualTo("route=node-1; Path=/");
        assertThat(upgrade.header("x-answer")).isEqualTo("4");
    }
}
