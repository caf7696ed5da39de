package io.wsk.bench.compare;

/** One scenario, run against wsk and against Node in the same mode, one after the other. */
interface ScenarioComparison {

    /** The name {@code --scenarios} takes. */
    String name();

    /** Runs the scenario against both servers and adds its figures (and any notes) to {@code findings}. */
    void run(ComparisonSetup setup, Findings findings) throws Exception;
}
