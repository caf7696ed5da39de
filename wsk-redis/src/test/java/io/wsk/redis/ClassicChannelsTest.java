package io.wsk.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The channel names of {@code @socket.io/redis-adapter} (protocol.md §4.1), and reading a room back from one. */
class ClassicChannelsTest {

    private final ClassicChannels main = new ClassicChannels("socket.io", "/");
    private final ClassicChannels admin = new ClassicChannels("socket.io", "/admin");

    @Test
    void namesAsTheReferenceAdapterUsesThem() {
        assertThat(main.broadcast()).isEqualTo("socket.io#/#");
        assertThat(main.broadcast("room1")).isEqualTo("socket.io#/#room1#");
        assertThat(main.broadcastPattern()).isEqualTo("socket.io#/#*");
        assertThat(main.request()).isEqualTo("socket.io-request#/#");
        assertThat(main.response()).isEqualTo("socket.io-response#/#");
        assertThat(main.response("AbC123")).isEqualTo("socket.io-response#/#AbC123#");

        assertThat(admin.broadcast()).isEqualTo("socket.io#/admin#");
        assertThat(admin.broadcast("r")).isEqualTo("socket.io#/admin#r#");
        assertThat(admin.request()).isEqualTo("socket.io-request#/admin#");
    }

    @Test
    void aCustomKeyPrefixesEveryChannel() {
        ClassicChannels custom = new ClassicChannels("app", "/");
        assertThat(custom.broadcast("r")).isEqualTo("app#/#r#");
        assertThat(custom.broadcastPattern()).isEqualTo("app#/#*");
        assertThat(custom.request()).isEqualTo("app-request#/#");
        assertThat(custom.response()).isEqualTo("app-response#/#");
    }

    @Test
    void roomOfReadsTheRoomBackFromABroadcastChannel() {
        assertThat(main.roomOf("socket.io#/#")).isEmpty();
        assertThat(main.roomOf("socket.io#/#room1#")).isEqualTo("room1");
        assertThat(main.roomOf(main.broadcast("a#b"))).as("a room holding #").isEqualTo("a#b");
        assertThat(main.roomOf(main.broadcast("é 🙂"))).isEqualTo("é 🙂");
        assertThat(main.roomOf(main.broadcast(""))).as("the empty room").isEmpty();
    }

    @Test
    void roomOfRefusesChannelsThatAreNotThisNamespacesBroadcasts() {
        assertThat(main.roomOf("socket.io#/admin#")).as("another namespace").isNull();
        assertThat(main.roomOf("socket.io#/admin#r#")).isNull();
        assertThat(admin.roomOf("socket.io#/#")).isNull();
        assertThat(main.roomOf("socket.io-request#/#")).isNull();
        assertThat(main.roomOf("socket.io#/#room1")).as("without the closing #").isNull();
        assertThat(main.roomOf("other#/#r#")).isNull();
        assertThat(main.roomOf("")).isNull();
    }
}
