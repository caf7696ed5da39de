package io.wsk.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * TLS for the listener from a PEM certificate chain and a PEM (PKCS#8) private key, re-read when
 * the files change: cert-manager and the like replace them in place, and a node should serve the
 * new certificate without a restart. A change is looked for at most once a second, when a
 * connection opens; connections keep the certificate they started with.
 *
 * <p>TLS 1.3 and 1.2 only, HTTP/1.1 by ALPN (WebSocket needs it). OpenSSL (netty-tcnative) when
 * it is on the class path and loads, the JDK's TLS otherwise.
 */
public final class TlsFiles {

    private static final Logger log = LoggerFactory.getLogger(TlsFiles.class);
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Path certificate;
    private final Path key;
    private volatile SslContext context;
    private FileTime certificateTime;
    private FileTime keyTime;
    private long lastCheck;

    /** Loads the files now: a bad certificate or key is refused here, before anything listens. */
    public TlsFiles(Path certificate, Path key) {
        this.certificate = Objects.requireNonNull(certificate);
        this.key = Objects.requireNonNull(key);
        try {
            certificateTime = Files.getLastModifiedTime(certificate);
            keyTime = Files.getLastModifiedTime(key);
            context = load();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use TLS certificate " + certificate + " with key " + key
                    + ": " + describe(e), e);
        }
        lastCheck = System.nanoTime();
    }

    private SslContext load() throws IOException {
        try {
            return SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Which TLS implementation serves: {@code OpenSSL ...} or {@code JDK}. */
    public String provider() {
        return OpenSsl.isAvailable() ? "OpenSSL (" + OpenSsl.versionString() + ")" : "JDK";
    }

    /** A handler for a new connection, with the certificate on disk now. */
    SslHandler newHandler(ByteBufAllocator alloc) {
        reloadIfChanged();
        return context.newHandler(alloc);
    }

    private synchronized void reloadIfChanged() {
        long now = System.nanoTime();
        if (now - lastCheck < CHECK_EVERY_NANOS) {
            return;
        }
        lastCheck = now;
        try {
            FileTime c = Files.getLastModifiedTime(certificate);
            FileTime k = Files.getLastModifiedTime(key);
            if (c.equals(certificateTime) && k.equals(keyTime)) {
                return;
            }
            context = load();
            certificateTime = c;
            keyTime = k;
            log.info("TLS certificate {} reloaded", certificate);
        } catch (IOException | RuntimeException e) {
            // Half-written files (the certificate replaced, the key not yet): keep serving the
            // old pair, and look again at the next check.
            log.warn("TLS certificate {} changed but cannot be used yet ({}); serving the previous one",
                    certificate, describe(e));
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
