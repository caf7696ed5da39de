package io.wsk.bench;

import io.wsk.bench.abuse.AbuseCommand;
import io.wsk.bench.compare.CompareCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code wsk-bench}: load scenarios against a Socket.IO / Engine.IO server. */
@Command(name = "wsk-bench", mixinStandardHelpOptions = true,
        description = "Load generator for Engine.IO / Socket.IO servers.",
        subcommands = {ConnsScenario.class, FanoutScenario.class, EchoScenario.class, RelayScenario.class,
                CompareCommand.class, AbuseCommand.class, CommandLine.HelpCommand.class})
public final class BenchMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
