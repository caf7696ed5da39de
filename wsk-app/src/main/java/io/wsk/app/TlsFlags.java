package io.wsk.app;

import io.wsk.http.TlsFiles;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code serve} flags for TLS on the main port: both files, or neither. */
final class TlsFlags {

    @Option(names = "--tls-cert", defaultValue = "${env:WSK_TLS_CERT}",
            description = "PEM certificate chain: serve https:// and wss:// on the main port, re-read when the file "
                    + "changes (env WSK_TLS_CERT; needs --tls-key).")
    Path certificate;

    @Option(names = "--tls-key", defaultValue = "${env:WSK_TLS_KEY}",
            description = "PEM private key (PKCS#8) of --tls-cert (env WSK_TLS_KEY).")
    Path key;

    /** What is wrong with the flags, or {@code null}. */
    String problem() {
        if ((certificate == null) != (key == null)) {
            return "--tls-cert and --tls-key go together (env WSK_TLS_CERT and WSK_TLS_KEY)";
        }
        for (Path file : new Path[] {certificate, key}) {
            if (file != null && !Files.isReadable(file)) {
                return "cannot read " + file;
            }
        }
        return null;
    }

    /** The TLS files, loaded; {@code null} without TLS. */
    TlsFiles load() {
        return certificate == null ? null : new TlsFiles(certificate, key);
    }
}
