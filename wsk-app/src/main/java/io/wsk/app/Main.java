package io.wsk.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code wsk} command line. */
@Command(name = "wsk", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "A Socket.IO v4 server for the JVM that scales out across machines.",
        subcommands = {ServeCommand.class, ClientCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "The launcher also runs:",
                "  ./wsk bench compare [--help]   the benchmarks, wsk against the Node server",
                "  ./wsk test                     installs what the tests need and runs them"})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new Main());
        // A bad flag: the reason and where to look, not the reason buried under the whole usage.
        commandLine.setParameterExceptionHandler((e, badArgs) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("wsk: " + e.getMessage());
            String name = failed.getCommandSpec().name();
            failed.getErr().println("Try './wsk " + (name.equals("wsk") ? "" : name + " ") + "--help' for the options.");
            return 2;
        });
        int code = commandLine.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
