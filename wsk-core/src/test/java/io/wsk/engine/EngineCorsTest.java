package io.wsk.engine;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** CORS headers on the polling transport, and the optional {@code io} session cookie. */
class EngineCorsTest extends EngineTestSupport {

    private static final String APP = "https://app.example";

    private HttpResponse<String> preflight(String origin) {
        return http.send(http.request(PollingClient.POLLING_QUERY)
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-requested-with")
                .method("OPTIONS", BodyPublishers.noBody())
                .build());
    }

    private HttpResponse<String> handshakeFrom(String origin) {
        return http.send(http.request(PollingClient.POLLING_QUERY).header("Origin", origin).GET().build());
    }

    @Test
    void preflightIsAnswered204WithTheAllowHeaders() {
        HttpResponse<String> response = preflight(APP);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET,HEAD,PUT,PATCH,POST,DELETE");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type,x-requested-with");
        assertThat(response.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Access-Control-Request-Headers"));
        assertThat(server.opened).as("a preflight opens no session").isEmpty();
    }

    @Test
    void everyPollingResponseCarriesTheCorsHeader() {
        HttpResponse<String> handshake = handshakeFrom(APP);
        String sid = (String) MiniJson.parseObject(handshake.body().substring(1)).get("sid");
        HttpResponse<String> post = http.post(sid, "4hi");
        HttpResponse<String> poll = http.poll(sid);
        HttpResponse<String> error = http.get("EIO=4&transport=nope");

        for (HttpResponse<String> response : List.of(handshake, post, poll, error)) {
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as(response.uri().toString()).hasValue("*");
            // "*" is only valid without credentials
            assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
    }

    @Test
    void withCredentialsTheRequestOriginIsEchoedNotStarred() throws Exception {
        restartWith(b -> b.cors(CorsPolicy.anyOrigin(true)));

        for (HttpResponse<String> response : List.of(handshakeFrom(APP), preflight(APP))) {
            assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
            assertThat(response.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
            assertThat(response.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Origin"));
        }
    }

    @Test
    void onlyListedOriginsAreAllowed() throws Exception {
        restartWith(b -> b.cors(CorsPolicy.origins(List.of(APP), true)));

        HttpResponse<String> listed = handshakeFrom(APP);
        assertThat(listed.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(listed.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");

        HttpResponse<String> unlisted = handshakeFrom("https://evil.example");
        assertThat(unlisted.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(unlisted.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        // the answer depends on Origin, so caches must key on it
        assertThat(unlisted.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).containsIgnoringCase("Origin"));
    }

    @Test
    void withCorsDisabledNoCorsHeadersAreSentAndPreflightIsNotSpecial() throws Exception {
        restartWith(b -> b.cors(CorsPolicy.disabled()));

        HttpResponse<String> handshake = handshakeFrom(APP);
        assertThat(handshake.statusCode()).isEqualTo(200);
        assertThat(handshake.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        // an OPTIONS request is then just a handshake with the wrong method
        HttpResponse<String> options = preflight(APP);
        assertThat(options.statusCode()).isEqualTo(400);
        assertThat(MiniJson.parseObject(options.body())).containsEntry("code", 2L);
        assertThat(options.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void ioCookieIsSetOnThePollingHandshakeOnly() throws Exception {
        restartWith(b -> b.cookie("io"));

        HttpResponse<String> handshake = http.get(PollingClient.POLLING_QUERY);
        String sid = (String) MiniJson.parseObject(handshake.body().substring(1)).get("sid");
        assertThat(handshake.headers().allValues("Set-Cookie"))
                .containsExactly("io=" + sid + "; Path=/; HttpOnly; SameSite=Lax");

        http.post(sid, "4hi");
        assertThat(http.poll(sid).headers().allValues("Set-Cookie")).as("later polls").isEmpty();

        RawConnection connection = raw();
        connection.write(RawConnection.webSocketRequest(server.port(), wsQuery()));
        RawConnection.Response upgrade = connection.readResponse();
        assertThat(upgrade.status()).isEqualTo(101);
        assertThat(upgrade.headerValues("Set-Cookie")).as("WebSocket handshake").isEmpty();
    }

    @Test
    void noCookieUnlessConfigured() {
        assertThat(http.get(PollingClient.POLLING_QUERY).headers().allValues("Set-Cookie")).isEmpty();
    }
}
