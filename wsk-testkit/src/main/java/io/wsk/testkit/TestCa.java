package io.wsk.testkit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway certificate authority made with {@code openssl} in a temporary directory, and
 * certificates it signs for {@code 127.0.0.1} (subject alternative names {@code IP:127.0.0.1} and,
 * unless asked otherwise, {@code DNS:localhost}), valid two days. {@code openssl} missing fails the
 * caller with how to install it. {@link #close} removes the directory.
 */
public final class TestCa implements AutoCloseable {

    public static final String INSTALL_HINT = "install OpenSSL: apt-get install -y openssl";
    public static final String TRUST_STORE_PASSWORD = "changeit";

    /** A certificate and its private key, PEM files. */
    public record Leaf(Path cert, Path key) {
    }

    private final Path dir;

    private TestCa(Path dir) {
        this.dir = dir;
    }

    /** A new CA named {@code name} ({@code /CN=<name>}). */
    public static TestCa create(String name) {
        Path dir;
        try {
            dir = Files.createTempDirectory("wsk-ca");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestCa ca = new TestCa(dir);
        ca.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=" + name);
        return ca;
    }

    /** The directory its files are in. */
    public Path dir() {
        return dir;
    }

    /** The CA's certificate, PEM. */
    public Path cert() {
        return dir.resolve("ca.pem");
    }

    /** A certificate for 127.0.0.1 and localhost, as {@code <name>.pem} and {@code <name>.key}. */
    public Leaf leaf(String name) {
        return leaf(name, "IP:127.0.0.1,DNS:localhost");
    }

    /** A certificate with these subject alternative names (e.g. {@code IP:127.0.0.1}). */
    public Leaf leaf(String name, String subjectAltNames) {
        try {
            Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + subjectAltNames + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", name + ".pem", "-days", "2", "-extfile", name + ".ext");
        return new Leaf(dir.resolve(name + ".pem"), dir.resolve(name + ".key"));
    }

    /** A key store holding only the CA's certificate. */
    public KeyStore trustStore() {
        try (InputStream in = Files.newInputStream(cert())) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            return trust;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@link #trustStore} as a PKCS12 file ({@code truststore.p12}, password
     * {@link #TRUST_STORE_PASSWORD}), for {@code -Djavax.net.ssl.trustStore}.
     */
    public Path trustStoreFile() {
        Path file = dir.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore().store(out, TRUST_STORE_PASSWORD.toCharArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trust managers that trust this CA only. */
    public TrustManagerFactory trustManagers() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A TLS context that trusts this CA only. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public SSLSocketFactory socketFactory() {
        return sslContext().getSocketFactory();
    }

    /** Runs {@code openssl args...} in the CA's directory; a failure throws with its output. */
    public void openssl(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Executables.require("openssl", INSTALL_HINT).toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + String.join(" ", args) + " took over 30 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " failed (" + process.exitValue()
                        + "):\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: nothing more to do
        }
    }
}
