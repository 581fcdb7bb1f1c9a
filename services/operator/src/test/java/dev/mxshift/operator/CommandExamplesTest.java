package dev.mxshift.operator;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every "Examples:" line of every command's {@code --help} parses against that command's picocli spec: an example with an
 * option the command does not have (as {@code fixes --reason} once was), a missing value or a wrong type fails here, not in
 * front of an operator who copied it.
 */
class CommandExamplesTest {

    /**
     * A command's help text as written (description and footer, one line each: the rendered usage wraps long lines) and
     * the words that lead to it from the top ({@code services status} for a nested one).
     */
    private record Help(List<String> path, String usage) {
    }

    private static void collect(CommandLine cli, List<String> path, List<Help> into) {
        CommandLine.Model.UsageMessageSpec usage = cli.getCommandSpec().usageMessage();
        List<String> lines = new ArrayList<>(List.of(usage.description()));
        lines.addAll(List.of(usage.footer()));
        into.add(new Help(path, String.join("\n", lines).replace("%n", "\n")));
        cli.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) { // aliases name the same command again
                List<String> deeper = new ArrayList<>(path);
                deeper.add(name);
                collect(sub, deeper, into);
            }
        });
    }

    /** The indented lines after "Examples:", up to the next line that is blank or not indented. */
    static List<String> examples(String usage) {
        List<String> found = new ArrayList<>();
        boolean in = false;
        for (String line : usage.split("\\R")) {
            if (line.strip().equals("Examples:")) {
                in = true;
            } else if (in && (line.isBlank() || !Character.isWhitespace(line.charAt(0)))) {
                in = false;
            } else if (in) {
                found.add(line.strip());
            }
        }
        return found;
    }

    /**
     * Shell words, quotes removed; what follows a pipe, a redirection, {@code &&} or a comment is the shell's, not the
     * command's, and what follows three spaces or more is a remark for the reader ("--record      (findings on ...)").
     */
    static List<String> words(String line) {
        String example = line.split("\\s{3,}", 2)[0];
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < example.length(); i++) {
            char c = example.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if ("|><#&;".indexOf(c) >= 0 && !inWord) {
                break;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced quote in example: " + example);
        }
        if (!words.isEmpty() && words.get(0).matches("(\\./)?mxshift")) {
            words.remove(0);
        }
        return words;
    }

    @Test
    void everyExampleInEveryCommandsHelpParsesAgainstThatCommand() {
        List<Help> helps = new ArrayList<>();
        collect(OperatorCommand.commandLine(), List.of(), helps);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Help help : helps) {
            for (String example : examples(help.usage())) {
                List<String> args = new ArrayList<>(help.path());
                List<String> words = words(example);
                if (!words.isEmpty() && words.get(0).matches("[a-z][a-z0-9-]*") && !words.get(0).equals(help.path().isEmpty() ? "" : help.path().get(0))) {
                    continue; // another program's line in the help (curl against the API), not this command's
                }
                // an example names its command ("fixes relaytown.com") or starts with its arguments
                if (!help.path().isEmpty() && !words.isEmpty() && words.get(0).equals(help.path().get(help.path().size() - 1))) {
                    args.remove(args.size() - 1);
                }
                args.addAll(words);
                try {
                    CommandLine.ParseResult parsed = OperatorCommand.commandLine().parseArgs(args.toArray(String[]::new));
                    List<String> reached = new ArrayList<>();
                    for (CommandLine c : parsed.asCommandLineList().subList(1, parsed.asCommandLineList().size())) {
                        reached.add(c.getCommandName());
                    }
                    // a parent's help may show its subcommands ("dead-letters list ...")
                    if (reached.size() < help.path().size() || !reached.subList(0, help.path().size()).equals(help.path())) {
                        failures.add(String.join(" ", help.path()) + ": '" + example + "' runs " + String.join(" ", reached) + " instead");
                    }
                } catch (CommandLine.ParameterException e) {
                    failures.add(String.join(" ", help.path()) + ": '" + example + "': " + e.getMessage());
                }
                checked++;
            }
        }
        assertThat(failures).as("examples that do not parse").isEmpty();
        assertThat(checked).as("examples checked across %d commands", helps.size()).isGreaterThan(30);
    }

    @Test
    void anExampleWithAnOptionTheCommandDoesNotHaveIsCaught() {
        List<String> args = new ArrayList<>(words("./mxshift fixes relaytown.com --approve 3f1c --reason 'reviewed with the customer'"));

        assertThat(args).containsExactly("fixes", "relaytown.com", "--approve", "3f1c", "--reason", "reviewed with the customer");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OperatorCommand.commandLine().parseArgs(args.toArray(String[]::new)))
                .isInstanceOf(CommandLine.UnmatchedArgumentException.class).hasMessageContaining("--reason");
    }

    @Test
    void examplesAreReadFromTheHelpUpToTheFirstLineThatIsNotOne() {
        String usage = "Usage: x\n\nExamples:\n  x a\n  x --b 'c d' | jq .\nExit codes: 0\n";

        assertThat(examples(usage)).containsExactly("x a", "x --b 'c d' | jq .");
        assertThat(words("x --b 'c d' | jq .")).containsExactly("x", "--b", "c d");
        assertThat(words("sweep --record      (findings on the event log)")).containsExactly("sweep", "--record");
        assertThat(words("inventory-from --out lab.csv && ./mxshift inventory-check lab.csv")).containsExactly("inventory-from", "--out", "lab.csv");
    }
}
