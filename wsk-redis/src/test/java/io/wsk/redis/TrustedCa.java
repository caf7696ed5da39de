package io.wsk.redis;

import io.wsk.testkit.TestCa;

/**
 * A test CA made the JVM's trust store, as a user trusts a private CA for {@code rediss://}
 * ({@code -Djavax.net.ssl.trustStore=... -Djavax.net.ssl.trustStorePassword=...}): Lettuce builds
 * each TLS connection's trust from these properties. {@link #close} puts back what was there.
 */
final class TrustedCa implements AutoCloseable {

    private static final String[] PROPERTIES = {"javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
            "javax.net.ssl.trustStoreType"};

    private final String[] before = new String[PROPERTIES.length];

    TrustedCa(TestCa ca) {
        for (int i = 0; i < PROPERTIES.length; i++) {
            before[i] = System.getProperty(PROPERTIES[i]);
        }
        System.setProperty("javax.net.ssl.trustStore", ca.trustStoreFile().toString());
        System.setProperty("javax.net.ssl.trustStorePassword", TestCa.TRUST_STORE_PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    @Override
    public void close() {
        for (int i = 0; i < PROPERTIES.length; i++) {
            if (before[i] == null) {
                System.clearProperty(PROPERTIES[i]);
            } else {
                System.setProperty(PROPERTIES[i], before[i]);
            }
        }
    }
}
