package io.wsk.redis;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A project that uses wsk-redis must get one Netty: wsk's. Maven takes the nearest declaration of
 * each Netty module, and Lettuce's (older) are as near as wsk-core's, so wsk-redis names every
 * Netty module Lettuce needs itself, nearer. When Lettuce starts to need another, this fails.
 */
class OneNettyTest {

    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    @Test
    void everyNettyModuleLettuceNeedsIsNamedByWskRedis() throws Exception {
        Path lettuceJar = Path.of(RedisClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path lettucePom = lettuceJar.resolveSibling(lettuceJar.getFileName().toString().replaceAll("\\.jar$", ".pom"));
        assertThat(lettucePom).as("Lettuce's pom beside its jar").exists();
        List<String> needed = new ArrayList<>();
        Matcher dependency = DEPENDENCY.matcher(Files.readString(lettucePom));
        while (dependency.find()) {
            String body = dependency.group(1);
            if (body.contains("<groupId>io.netty</groupId>") && !body.contains("<optional>true</optional>")
                    && !body.matches("(?s).*<scope>(test|provided)</scope>.*")) {
                needed.add(tag(body, "artifactId"));
            }
        }
        assertThat(needed).as("Lettuce's Netty modules").contains("netty-common", "netty-transport");

        List<String> named = new ArrayList<>();
        Matcher own = DEPENDENCY.matcher(Files.readString(Path.of("pom.xml")));
        while (own.find()) {
            if (own.group(1).contains("<groupId>io.netty</groupId>")) {
                named.add(tag(own.group(1), "artifactId"));
            }
        }
        assertThat(named).as("Netty modules wsk-redis/pom.xml names").containsAll(needed);
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
        assertThat(m.find()).as(name + " in " + xml).isTrue();
        return m.group(1).trim();
    }
}
