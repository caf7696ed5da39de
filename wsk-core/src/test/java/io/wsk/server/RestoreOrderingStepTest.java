package io.wsk.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wsk.adapter.AdapterNamespace;
import io.wsk.adapter.InMemoryAdapter;
import io.wsk.adapter.PersistedSession;
import io.wsk.adapter.RestoredSession;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restore always completes through the adapter's ordering step ({@code completeRestore}),
 * even when the adapter's answer is already in when the namespace looks at it. The Redis Streams
 * adapter's answer comes from Redis, but a thread descheduled for a few milliseconds finds it
 * done; skipping the step then sent a moved client what was broadcast meanwhile twice (once among
 * the missed packets, once live), as a SIGTERM drain behind HAProxy showed now and then.
 */
class RestoreOrderingStepTest extends SioTestSupport {

    /** Answers every restore at once, and adds a packet of its own in its ordering step. */
    private static final class AnsweredAtOnce extends InMemoryAdapter {
        AnsweredAtOnce(AdapterNamespace nsp) {
            super(nsp);
        }

        @Override
        public boolean supportsRecovery() {
            return true;
        }

        @Override
        public CompletableFuture<RestoredSession> restoreSession(String pid, String offset) {
            ArrayNode missed = SioClient.JSON.createArrayNode().add("missed").add(1).add("o-1");
            PersistedSession session = new PersistedSession("kept-sid", pid, Set.of(), null);
            return CompletableFuture.completedFuture(new RestoredSession(session, List.of(missed), "o-1"));
        }

        @Override
        public <T> T completeRestore(RestoredSession restored, Function<RestoredSession, T> register) {
            List<ArrayNode> missed = new ArrayList<>(restored.missedPackets());
            missed.add(SioClient.JSON.createArrayNode().add("meanwhile").add(2).add("o-2"));
            return register.apply(new RestoredSession(restored.session(), missed, restored.position()));
        }
    }

    @Override
    protected TestServer startServer() throws InterruptedException {
        return TestServer.start(o -> o.recovery(RecoveryOptions.defaults()).adapter(AnsweredAtOnce::new));
    }

    @Test
    void anAnswerAlreadyInStillGoesThroughTheOrderingStep() {
        SioClient client = open();
        client.send("40{\"pid\":\"p-1\",\"offset\":\"o-0\"}");

        assertThat(client.next()).isEqualTo("42[\"missed\",1,\"o-1\"]");
        assertThat(client.next()).isEqualTo("42[\"meanwhile\",2,\"o-2\"]");
        assertThat(client.next()).startsWith("40{\"sid\":\"kept-sid\"");
    }
}
