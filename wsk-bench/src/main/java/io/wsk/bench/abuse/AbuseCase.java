package io.wsk.bench.abuse;

/** One abuse case: it drives a server the way one kind of misbehaving client would and records figures. */
interface AbuseCase {

    /** The name {@code --cases} takes. */
    String name();

    /** Starts its servers through {@code run}, measures, and puts its figures into {@code run.figures()}. */
    void run(CaseRun run) throws Exception;
}
