package io.wsk.app;

import picocli.CommandLine;

/** The version printed by {@code wsk --version}, from the jar manifest when packaged. */
final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"wsk " + (version == null ? "development build" : version)};
    }
}
