package io.wsk.client;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CookieJarTest {

    @Test
    void keepsSetCookiesAndSendsThemBackReplacingAndRemoving() {
        CookieJar jar = new CookieJar();
        HttpHeaders request = new DefaultHttpHeaders();
        jar.addTo(request);
        assertThat(request.contains(HttpHeaderNames.COOKIE)).isFalse();

        jar.store(new DefaultHttpHeaders()
                .add(HttpHeaderNames.SET_COOKIE, "SERVERID=abc123; path=/")
                .add(HttpHeaderNames.SET_COOKIE, "other=1"));
        jar.addTo(request);
        assertThat(request.get(HttpHeaderNames.COOKIE)).isEqualTo("SERVERID=abc123; other=1");

        jar.store(new DefaultHttpHeaders()
                .add(HttpHeaderNames.SET_COOKIE, "SERVERID=def456")
                .add(HttpHeaderNames.SET_COOKIE, "other=; Max-Age=0"));
        jar.addTo(request);
        assertThat(request.get(HttpHeaderNames.COOKIE)).isEqualTo("SERVERID=def456");
    }

    @Test
    void aServerSettingEverMoreCookiesCannotGrowTheJarPastItsBound() {
        CookieJar jar = new CookieJar();
        for (int i = 0; i < 1_000; i++) {
            jar.store(new DefaultHttpHeaders().add(HttpHeaderNames.SET_COOKIE, "c" + i + "=v"));
        }
        HttpHeaders request = new DefaultHttpHeaders();
        jar.addTo(request);
        String[] sent = request.get(HttpHeaderNames.COOKIE).split("; ");
        assertThat(sent).hasSize(CookieJar.MAX_COOKIES);
        assertThat(sent[0]).as("the oldest went first").isEqualTo("c" + (1_000 - CookieJar.MAX_COOKIES) + "=v");
        assertThat(sent[sent.length - 1]).isEqualTo("c999=v");
    }
}
