package io.wsk.engine;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class HandshakeTest {

    private static Handshake handshake(HttpHeaders headers, String url) {
        return new Handshake(headers, "10.0.0.7", url, 1234L, true);
    }

    @Test
    void keepsTheRequestAsTheUpperLayersReadIt() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Host", "example.com:3000")
                .add("X-Forwarded-For", "1.2.3.4")
                .add("x-forwarded-for", "5.6.7.8")
                .add("Cookie", "a=1")
                .add("X-Custom", "host");
        Handshake handshake = handshake(headers, "/socket.io/?EIO=4&transport=websocket&token=abc&token=def");

        assertThat(handshake.url()).isEqualTo("/socket.io/?EIO=4&transport=websocket&token=abc&token=def");
        assertThat(handshake.address()).isEqualTo("10.0.0.7");
        assertThat(handshake.issuedAt()).isEqualTo(1234L);
        assertThat(handshake.secure()).isTrue();
        assertThat(handshake.headers()).containsExactly(
                entry("host", "example.com:3000"),
                entry("x-forwarded-for", "1.2.3.4, 5.6.7.8"),
                entry("cookie", "a=1"),
                entry("x-custom", "host"));
        assertThat(handshake.header("HOST")).isEqualTo("example.com:3000");
        assertThat(handshake.header("cookie")).isEqualTo("a=1");
        assertThat(handshake.header("X-CUSTOM")).isEqualTo("host");
        assertThat(handshake.header("a=1")).as("values are not names").isNull();
        assertThat(handshake.header("origin")).isNull();
        assertThat(handshake.query()).containsEntry("token", List.of("abc", "def"));
        assertThat(handshake.queryParam("token")).isEqualTo("abc");
        assertThat(handshake.queryParam("sid")).isNull();
    }

    @Test
    void keepsLongAndNonAsciiValuesAndEmptyOnes() {
        String longValue = "v".repeat(70_000);
        HttpHeaders headers = new DefaultHttpHeaders(false)
                .add("x-long", longValue)
                .add("X-" + "n".repeat(200), "a long unknown name")
                .add("x-empty", "")
                .add("x-latin", "caf\u00e9 \u00ff")
                .add("x-wide", "\u65e5\u672c");
        Handshake handshake = handshake(headers, "/");

        assertThat(handshake.header("x-long")).isEqualTo(longValue);
        assertThat(handshake.header("x-empty")).isEmpty();
        assertThat(handshake.header("x-latin")).isEqualTo("caf\u00e9 \u00ff");
        assertThat(handshake.header("x-wide")).isEqualTo("\u65e5\u672c");
        assertThat(handshake.header("x-" + "N".repeat(200))).isEqualTo("a long unknown name");
        assertThat(handshake.headers()).hasSize(5);
        assertThat(handshake.url()).isEqualTo("/");
        assertThat(handshake.address()).isEqualTo("10.0.0.7");
    }

    @Test
    void keepsCommonStringsAndTheirNearMisses() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Upgrade", "websocket")
                .add("Connection", "Upgrade")
                .add("Sec-WebSocket-Version", "13")
                .add("X-Near", "websockets")
                .add("X-Case", "WebSocket");
        Handshake handshake = new Handshake(headers, "127.0.0.1", "/socket.io/?EIO=4&transport=websocket", 1, false);

        assertThat(handshake.url()).isEqualTo("/socket.io/?EIO=4&transport=websocket");
        assertThat(handshake.address()).isEqualTo("127.0.0.1");
        assertThat(handshake.secure()).isFalse();
        assertThat(handshake.headers()).containsExactly(
                entry("upgrade", "websocket"),
                entry("connection", "Upgrade"),
                entry("sec-websocket-version", "13"),
                entry("x-near", "websockets"),
                entry("x-case", "WebSocket"));
        assertThat(handshake.queryParam("transport")).isEqualTo("websocket");
        assertThat(handshake("/socket.io/?EIO=4&transport=websocket&x=1").url())
                .isEqualTo("/socket.io/?EIO=4&transport=websocket&x=1");
    }

    private static Handshake handshake(String url) {
        return handshake(new DefaultHttpHeaders(), url);
    }

    @Test
    void aRequestWithoutHeaders() {
        Handshake handshake = handshake(new DefaultHttpHeaders(), "/socket.io/?EIO=4");
        assertThat(handshake.headers()).isEmpty();
        assertThat(handshake.header("host")).isNull();
        assertThat(handshake.queryParam("EIO")).isEqualTo("4");
        assertThat(handshake.secure()).isTrue();
        assertThat(handshake.url()).isEqualTo("/socket.io/?EIO=4");
    }
}
