package io.wsk.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wsk.adapter.BroadcastFlags;
import io.wsk.adapter.BroadcastOptions;
import io.wsk.adapter.PersistedSession;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pieces of the streams adapter that need no Redis: ids, entry fields, sessions, copies, recent broadcasts. */
class StreamPartsTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void streamIdsParseOnlyTheReferenceFormatAndCompareAsTheStreamOrdersThem() {
        assertThat(StreamId.parse("1700000000000-0")).isEqualTo(new StreamId(1_700_000_000_000L, 0));
        for (String bad : new String[]{null, "", "1-", "-1", "1-2-3", "a-1", " 1-2", "1-2 ", "99999999999999999999999-0"}) {
            assertThat(StreamId.parse(bad)).as(bad).isNull();
        }
        assertThat(StreamId.parse("5-9").next()).hasToString("5-10");
        assertThat(StreamId.parse("10-0").isAfter(StreamId.parse("9-99"))).isTrue();
        assertThat(StreamId.parse("9-100").isAfter(StreamId.parse("9-99"))).as("by number, not text").isTrue();
        assertThat(StreamId.parse("9-99").isAfter(StreamId.parse("9-99"))).isFalse();
    }

    @Test
    void aMessageBecomesTheReferencesFieldsAndComesBack() throws IOException {
        ObjectNode message = NODES.objectNode().put("uid", "u1").put("nsp", "/chat").put("type", 3);
        message.putObject("data").putObject("packet").put("type", 2).putArray("data").add("hi").add(1);
        Map<String, String> fields = StreamMessages.text(StreamMessages.encode(message, 7));
        assertThat(fields).containsEntry("uid", "u1").containsEntry("nsp", "/chat").containsEntry("type", "3")
                .containsEntry("seq", "7");
        assertThat(fields.get("data")).startsWith("{\"packet\"");
        assertThat(StreamMessages.decode(fields)).isEqualTo(message);
        assertThat(StreamMessages.seq(fields)).isEqualTo(7);
    }

    @Test
    void binaryDataGoesAsBase64MsgpackAndComesBackAsBytes() throws IOException {
        ObjectNode message = NODES.objectNode().put("uid", "u1").put("nsp", "/").put("type", 3);
        message.putObject("data").putObject("packet").putArray("data").add("bin").add(new byte[]{0, 1, (byte) 0xff});
        Map<String, String> fields = StreamMessages.text(StreamMessages.encode(message, 1));
        assertThat(fields.get("data")).doesNotStartWith("{");
        JsonNode back = StreamMessages.decode(fields);
        assertThat(back.path("data").path("packet").path("data").get(1).binaryValue()).containsExactly(0, 1, 0xff);
    }

    @Test
    void entriesThatAreNotMessagesAreNullOrRefused() {
        assertThat(decodeQuietly(Map.of("foreign", "entry"))).as("no nsp: someone else's").isNull();
        assertThatThrownBy(() -> StreamMessages.decode(Map.of("nsp", "/", "type", "x"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> StreamMessages.decode(Map.of("nsp", "/", "type", "3", "data", "{oops")))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> StreamMessages.decode(Map.of("nsp", "/", "type", "3", "data", "%%%")))
                .isInstanceOf(IOException.class);
        assertThat(StreamMessages.seq(Map.of("seq", "abc"))).isEqualTo(-1);
        assertThat(StreamMessages.seq(Map.of())).isEqualTo(-1);
    }

    private static JsonNode decodeQuietly(Map<String, String> fields) {
        try {
            return StreamMessages.decode(fields);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSessionAsNodeWritesItDecodesAndAForgedOneDoesNot() {
        ObjectNode node = NODES.objectNode().put("sid", "abcdefghijklmnopqrst").put("pid", "p1");
        node.putArray("rooms").add("abcdefghijklmnopqrst").add("room1").add(5);
        node.putObject("data").put("user", "ann");
        byte[] value = Base64.getEncoder().encode(Notepack.encode(node));
        PersistedSession session = SessionStore.decode("p1", value);
        assertThat(session.sid()).isEqualTo("abcdefghijklmnopqrst");
        assertThat(session.rooms()).as("strings only").containsExactlyInAnyOrder("abcdefghijklmnopqrst", "room1");
        assertThat(session.data().path("user").asText()).isEqualTo("ann");

        assertThat(SessionStore.decode("p2", value)).as("another pid's").isNull();
        assertThat(SessionStore.decode("p1", "not base64!".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(SessionStore.decode("p1", Base64.getEncoder().encode(new byte[]{(byte) 0xc1}))).isNull();
        ObjectNode noSid = NODES.objectNode().put("pid", "p1");
        noSid.putArray("rooms");
        assertThat(SessionStore.decode("p1", Base64.getEncoder().encode(Notepack.encode(noSid)))).isNull();
    }

    @Test
    void aWritersCopiesAreDroppedAndOthersEntriesPass() {
        DuplicateEntries duplicates = new DuplicateEntries();
        assertThat(duplicates.isNew("a", 1)).isTrue();
        assertThat(duplicates.isNew("a", 2)).isTrue();
        assertThat(duplicates.isNew("a", 2)).as("written twice").isFalse();
        assertThat(duplicates.isNew("a", 1)).isFalse();
        assertThat(duplicates.isNew("b", 1)).as("another writer").isTrue();
        assertThat(duplicates.isNew("node", -1)).as("no number: a Node node's").isTrue();
        assertThat(duplicates.isNew("node", -1)).isTrue();

        // Two loops' entries reach the stream out of their numbers' order: both are real.
        assertThat(duplicates.isNew("c", 6)).isTrue();
        assertThat(duplicates.isNew("c", 5)).as("a lower number not seen before").isTrue();
        assertThat(duplicates.isNew("c", 5)).isFalse();
        assertThat(duplicates.isNew("c", 6)).isFalse();
        assertThat(duplicates.isNew("c", 6 + DuplicateEntries.WINDOW)).isTrue();
        assertThat(duplicates.isNew("c", 7)).as("older than the window: let through").isTrue();
        assertThat(duplicates.isNew("c", 10 + DuplicateEntries.WINDOW)).isTrue();
        assertThat(duplicates.isNew("c", 8 + DuplicateEntries.WINDOW)).as("a gap inside the window").isTrue();
        assertThat(duplicates.isNew("c", 8 + DuplicateEntries.WINDOW)).isFalse();
        assertThat(duplicates.isNew("c", 10 + 3L * DuplicateEntries.WINDOW)).as("a jump past the window").isTrue();
        assertThat(duplicates.isNew("c", 9 + 3L * DuplicateEntries.WINDOW)).isTrue();
        assertThat(duplicates.isNew("c", 10 + 3L * DuplicateEntries.WINDOW)).isFalse();
    }

    @Test
    void recentBroadcastsGiveWhatASessionMissedAfterAnIdOrSayTheyCannot() {
        RecentBroadcasts recent = new RecentBroadcasts(3, 60_000);
        BroadcastOptions all = BroadcastOptions.ALL;
        BroadcastOptions roomR = new BroadcastOptions(Set.of("r"), Set.of(), BroadcastFlags.NONE);
        recent.add(StreamId.parse("1-0"), NODES.arrayNode().add("one"), all, 1000);
        recent.add(StreamId.parse("2-0"), NODES.arrayNode().add("two"), roomR, 1000);
        recent.add(StreamId.parse("3-0"), NODES.arrayNode().add("three"), all, 1000);

        assertThat(recent.since(StreamId.parse("1-0"), Set.of("me"))).extracting(a -> a.get(0).asText())
                .containsExactly("three");
        assertThat(recent.since(StreamId.parse("1-0"), Set.of("me", "r"))).extracting(a -> a.get(0).asText())
                .containsExactly("two", "three");
        assertThat(recent.since(StreamId.parse("0-5"), Set.of("me"))).hasSize(2);
        recent.add(StreamId.parse("4-0"), NODES.arrayNode().add("four"), all, 1000);
        assertThat(recent.since(StreamId.parse("0-5"), Set.of("me"))).as("1-0 is no longer kept").isNull();
        assertThat(recent.since(StreamId.parse("1-0"), Set.of("me"))).hasSize(2);
        recent.add(StreamId.parse("5-0"), NODES.arrayNode().add("five"), all, 70_000);
        assertThat(recent.since(StreamId.parse("3-0"), Set.of("me"))).as("older than a minute: gone").isNull();
    }

    @Test
    void aNamespacesStreamIsTheReferencesHashModuloTheCount() {
        RedisStreamsAdapterOptions three = RedisStreamsAdapterOptions.defaults().withStreamCount(3);
        Map<String, String> expected = new HashMap<>();
        for (String nsp : List.of("/", "/chat", "/admin", "/a-much-longer-namespace-name-with-a-negative-hash-zz")) {
            // socket.io-redis-streams-adapter's hashCode: hash = hash * 31 + charCode, |0 each step
            int hash = 0;
            for (int i = 0; i < nsp.length(); i++) {
                hash = hash * 31 + nsp.charAt(i);
            }
            expected.put(nsp, "socket.io-" + (hash % 3));
        }
        expected.forEach((nsp, stream) -> assertThat(three.streamOf(nsp)).as(nsp).isEqualTo(stream));
        assertThat(RedisStreamsAdapterOptions.defaults().streamOf("/chat")).isEqualTo("socket.io");
    }
}
