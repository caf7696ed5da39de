package io.wsk.app;

import picocli.CommandLine;

import java.util.Arrays;
import java.util.Iterator;

/** The values of {@code --app}. */
enum AppKind {
    DEMO("demo"),
    BENCH("bench"),
    PROTOCOL_SUITE("protocol-suite");

    private final String wireName;

    AppKind(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    ServerApp create(ServeSettings settings) {
        return switch (this) {
            case DEMO -> new DemoApp(settings);
            case BENCH -> new BenchApp(settings);
            case PROTOCOL_SUITE -> new ProtocolSuiteApp();
        };
    }

    /** Parses {@code --app} values by their wire names. */
    static final class Converter implements CommandLine.ITypeConverter<AppKind> {
        @Override
        public AppKind convert(String value) {
            for (AppKind kind : values()) {
                if (kind.wireName.equals(value)) {
                    return kind;
                }
            }
            throw new CommandLine.TypeConversionException("unknown app '" + value + "' (expected one of: "
                    + String.join(", ", new Names()) + ")");
        }
    }

    /** The wire names, for help and errors. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(values()).map(AppKind::wireName).iterator();
        }
    }
}
