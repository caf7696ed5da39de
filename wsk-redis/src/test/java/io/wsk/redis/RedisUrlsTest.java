package io.wsk.redis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Redis addresses wsk takes, and the message for each it does not. */
class RedisUrlsTest {

    @Test
    void oneRedisOrTheSentinelsOfAMaster() {
        for (String url : new String[] {"redis://127.0.0.1:6379", "rediss://user:pw@redis.internal:6380/2",
                "redis-sentinel://10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379#mymaster",
                "rediss-sentinel://:pw@s1:26379/0#cache"}) {
            assertThat(RedisUrls.check(url)).isEqualTo(url);
        }
        assertThat(RedisUrls.isSentinel("redis-sentinel://s:26379#m")).isTrue();
        assertThat(RedisUrls.isSentinel("redis://s:6379")).isFalse();
    }

    @Test
    void theSeedsOfACluster() {
        String url = "redis-cluster://user:pw@10.0.0.1:7000,10.0.0.2:7001";
        assertThat(RedisUrls.check(url)).isEqualTo(url);
        assertThat(RedisUrls.isCluster(url)).isTrue();
        assertThat(RedisUrls.clusterSeeds(url)).satisfiesExactly(
                seed -> {
                    assertThat(seed.getHost()).isEqualTo("10.0.0.1");
                    assertThat(seed.getPort()).isEqualTo(7000);
                    assertThat(seed.getUsername()).isEqualTo("user");
                    assertThat(new String(seed.getPassword())).isEqualTo("pw");
                    assertThat(seed.isSsl()).isFalse();
                },
                seed -> assertThat(seed.getPort()).isEqualTo(7001));
        assertThat(RedisUrls.clusterSeeds("rediss-cluster://:pw@n1:7000")).singleElement()
                .satisfies(seed -> assertThat(seed.isSsl()).isTrue());
        assertThat(RedisUrls.isCluster("redis://n1:7000")).isFalse();
    }

    @Test
    void whatIsWrongWithAClusterUrlIsSaid() {
        assertThatThrownBy(() -> RedisUrls.check("redis-cluster://")).hasMessageContaining("names no seed node");
        assertThatThrownBy(() -> RedisUrls.check("redis-cluster://n1:7000/2")).hasMessageContaining("only host:port seeds");
        assertThatThrownBy(() -> RedisUrls.check("redis-cluster://n1")).hasMessageContaining("'n1' is not host:port");
        assertThatThrownBy(() -> RedisUrls.check("redis-cluster://n1:7000,n2:x")).hasMessageContaining("no valid port");
        assertThatThrownBy(() -> RedisUrls.check("redis-cluster://n1:7000,")).hasMessageContaining("is not host:port");
    }

    @Test
    void whatIsWrongIsSaid() {
        assertThatThrownBy(() -> RedisUrls.check("http://x")).hasMessageContaining("must start with redis://");
        assertThatThrownBy(() -> RedisUrls.check("127.0.0.1:6379")).hasMessageContaining("must start with redis://");
        assertThatThrownBy(() -> RedisUrls.check("redis://%%bad")).hasMessageStartingWith("malformed Redis URL");
        assertThatThrownBy(() -> RedisUrls.check("redis:///0")).hasMessageContaining("no host");
        assertThatThrownBy(() -> RedisUrls.check("redis-sentinel://s1:26379,s2:26379"))
                .hasMessageContaining("names no master").hasMessageContaining("sentinel monitor");
    }
}
