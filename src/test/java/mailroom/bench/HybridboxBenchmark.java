package mailroom.bench;

/** Placeholder until the Hybridbox door lands: bulk-create timings are added with it. */
final class HybridboxBenchmark {
    private HybridboxBenchmark() {}

    static void run() {
        // filled in with the Hybridbox door (issue 4)
    }
}
