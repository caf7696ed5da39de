package io.wsk.client;

import io.wsk.testkit.FreePorts;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Emits made while not connected are bounded, and a closed client fails what still waits. */
class SendBufferTest {

    @Test
    void emitsPastTheBoundFailAtOnceAndCloseFailsTheRest() {
        Manager manager = new Manager(URI.create("http://127.0.0.1:" + FreePorts.next()),
                ClientOptions.builder().maxBufferedEmits(2).build());
        ClientSocket socket = manager.socket("/"); // never connected: everything waits in the buffer
        CompletableFuture<Args> first = socket.emitWithAck("a");
        CompletableFuture<Args> second = socket.emitWithAck("b");
        CompletableFuture<Args> third = socket.emitWithAck("c");
        assertThatThrownBy(() -> third.get(5, TimeUnit.SECONDS)).hasMessageContaining("send buffer full");
        assertThat(first).isNotDone();
        manager.close();
        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasMessageContaining("client closed");
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).hasMessageContaining("client closed");
        assertThatThrownBy(() -> socket.emitWithAck("d").get(5, TimeUnit.SECONDS)).hasMessageContaining("client closed");
    }

    @Test
    void reservedEventNamesAreRefused() {
        try (Manager manager = new Manager(URI.create("http://127.0.0.1:" + FreePorts.next()), ClientOptions.defaults())) {
            ClientSocket socket = manager.socket("/");
            assertThatThrownBy(() -> socket.emit("connect")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> socket.on("disconnect", (args, ack) -> { })).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
