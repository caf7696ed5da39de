package io.wsk.bench.compare;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** What the scenarios of one mode found: their figures, and notes a reader needs to trust them. */
final class Findings {

    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final PrintStream out;

    Findings(PrintStream out) {
        this.out = out;
    }

    void add(Figure figure) {
        figures.add(figure);
    }

    /** A note for the report (a failed run, a generator at its limit, a server that never sustained a rate). */
    void note(String text) {
        notes.add(text);
        out.println("compare: note: " + text);
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }
}
