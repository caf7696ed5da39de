package io.wsk.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link RedisServer} fixture against a real {@code redis-server}: start, crash, restart, raw commands. */
class RedisServerIT {

    @Test
    void startsOnAFreeLoopbackPortWithoutPersistence() {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.port()).isNotEqualTo(6379);
            assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.command("PING")).isEqualTo("PONG");
            assertThat(redis.command("CONFIG", "GET", "bind")).isEqualTo(List.of("bind", "127.0.0.1"));
            assertThat(redis.command("CONFIG", "GET", "save")).isEqualTo(List.of("save", ""));
            assertThat(redis.command("CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
            assertThat(redis.version()).matches("\\d+\\.\\d+\\.\\d+");
        }
    }

    @Test
    void twoServersRunSideBySide() {
        try (RedisServer a = RedisServer.start(); RedisServer b = RedisServer.start()) {
            a.command("SET", "k", "a");
            assertThat(b.command("GET", "k")).isNull();
            assertThat(a.port()).isNotEqualTo(b.port());
        }
    }

    @Test
    void killedServerComesBackOnTheSamePortEmpty() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            redis.command("SET", "k", "v");

            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(UncheckedIOException.class);

            redis.restart();
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.command("PING")).isEqualTo("PONG");
            assertThat(redis.command("GET", "k")).as("no persistence").isNull();
        }
    }

    @Test
    void stopIsGracefulAndRestartWorksOnARunningServerToo() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThat(redis.report()).contains("ready to exit");

            redis.restart();
            redis.restart();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void restartFailsRatherThanTalkToWhateverTookThePort() throws IOException {
        try (RedisServer redis = RedisServer.start()) {
            redis.kill();
            try (ServerSocket squatter = new ServerSocket(redis.port(), 50, InetAddress.getByName(RedisServer.HOST))) {
                assertThatThrownBy(redis::restart)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("did not restart on 127.0.0.1:" + squatter.getLocalPort())
                        .hasMessageContaining("Address already in use");
            }
            redis.restart();
            assertThat(redis.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void extraArgumentsReachTheServerAndAPasswordIsUsed() {
        try (RedisServer redis = RedisServer.start("--requirepass", "s3cret")) {
            assertThat(redis.password()).contains("s3cret");
            assertThat(redis.url()).isEqualTo("redis://:s3cret@127.0.0.1:" + redis.port());
            assertThat(redis.command("PING")).isEqualTo("PONG");
            try (RespConnection anonymous = RespConnection.open(redis.host(), redis.port(), Duration.ofSeconds(1))) {
                assertThatThrownBy(() -> anonymous.call("PING"))
                        .isInstanceOf(RespConnection.ErrorReply.class)
                        .hasMessageContaining("NOAUTH");
            }
        }
    }

    @Test
    void publishesRawBytesToSubscribersAndCountsThem() {
        byte[] payload = {(byte) 0x93, (byte) 0xa6, 0x00, (byte) 0xff, '\r', '\n', 0x7b};
        try (RedisServer redis = RedisServer.start(); RespConnection subscriber = redis.connect()) {
            subscriber.call("SUBSCRIBE", "socket.io-request#/#");
            subscriber.call("PSUBSCRIBE", "socket.io#/#*");
            assertThat(redis.numsub("socket.io-request#/#")).isEqualTo(1);
            assertThat(redis.numsub("nobody")).isZero();
            assertThat(redis.shardNumsub("socket.io#/#")).isZero();

            assertThat(redis.publish("socket.io#/#room#", payload)).isEqualTo(1);

            List<?> message = (List<?>) subscriber.read(Duration.ofSeconds(5));
            assertThat(RespConnection.asText(message.subList(0, 3)))
                    .isEqualTo(List.of("pmessage", "socket.io#/#*", "socket.io#/#room#"));
            assertThat((byte[]) message.get(3)).isEqualTo(payload);
            assertThat(subscriber.hasInput(Duration.ofMillis(50))).isFalse();
        }
    }

    @Test
    void clientKillCutsConnections() {
        try (RedisServer redis = RedisServer.start(); RespConnection victim = redis.connect()) {
            victim.call("CLIENT", "SETNAME", "victim");
            assertThat(redis.command("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes")).isEqualTo(1L);
            assertThatThrownBy(() -> victim.call("PING")).isInstanceOf(UncheckedIOException.class);
        }
    }
}
