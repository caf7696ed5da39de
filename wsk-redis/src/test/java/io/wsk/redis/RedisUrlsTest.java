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
    void whatIsWrongIsSaid() {
        assertThatThrownBy(() -> RedisUrls.check("http://x")).hasMessageContaining("must start with redis://");
        assertThatThrownBy(() -> RedisUrls.check("127.0.0.1:6379")).hasMessageContaining("must start with redis://");
        assertThatThrownBy(() -> RedisUrls.check("redis://%%bad")).hasMessageStartingWith("malformed Redis URL");
        assertThatThrownBy(() -> RedisUrls.check("redis:///0")).hasMessageContaining("no host");
        assertThatThrownBy(() -> RedisUrls.check("redis-sentinel://s1:26379,s2:26379"))
                .hasMessageContaining("names no master").hasMessageContaining("sentinel monitor");
    }
}
