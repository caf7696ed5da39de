package io.wsk.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wsk} command line. */
@Command(name = "wsk", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A Socket.IO v4 server for the JVM that scales out across machines.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
