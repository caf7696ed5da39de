package io.wsk.engine;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an idle WebSocket connection keeps: every handler in its pipeline costs each connection a
 * context and its state, so the pipeline after the upgrade is exactly encoder, decoder, transport,
 * and the encoder is one instance for all connections.
 */
class WebSocketPipelineTest extends EngineTestSupport {

    private List<Channel> webSockets() {
        return server.connections().stream()
                .filter(c -> c.pipeline().get("engine-ws") != null)
                .collect(Collectors.toList());
    }

    @Test
    void anIdleWebSocketKeepsThreeHandlersAndSharesItsEncoder() {
        WsTestClient first = ws(wsQuery());
        WsTestClient second = ws(wsQuery());
        assertThat(first.nextText()).startsWith("0");
        assertThat(second.nextText()).startsWith("0");
        await().untilAsserted(() -> assertThat(webSockets()).hasSize(2));

        for (Channel channel : webSockets()) {
            // the HTTP codec leaves once the 101 response is written
            await().untilAsserted(() -> assertThat(channel.pipeline().toMap().keySet())
                    .containsExactly("wsencoder", "wsdecoder", "engine-ws"));
            Map<String, ChannelHandler> handlers = channel.pipeline().toMap();
            assertThat(handlers.get("wsdecoder")).isInstanceOf(WebSocketMessageDecoder.class);
            assertThat(handlers.get("wsencoder")).isSameAs(SharedWebSocketEncoder.INSTANCE);
        }

        // and it works: a message goes through decoder, transport and encoder
        first.sendText("4hi");
        String reply = first.nextText();
        while (reply.equals("2")) { // the suite's 300 ms heartbeat
            reply = first.nextText();
        }
        assertThat(reply).isEqualTo("4hi");
    }
}
