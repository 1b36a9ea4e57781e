package dev.regula.fuzz;

import java.util.List;

/**
 * The fuzzing contract: a parser fed arbitrary input may only throw the exception types its
 * Javadoc documents. Anything else escapes, and Jazzer reports it as a finding.
 */
final class Contract {
    private Contract() {}

    /** Code under test, allowed to throw checked exceptions. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /**
     * Runs {@code action}, swallowing only the documented exception types.
     *
     * @param action the parser call
     * @param documented the exception types the parser's Javadoc allows
     * @throws Throwable any other throwable, unchanged (a bug)
     */
    static void onlyDocumented(Action action, List<Class<? extends Throwable>> documented) throws Throwable {
        try {
            action.run();
        } catch (Throwable t) {
            for (Class<? extends Throwable> c : documented) {
                if (c.isInstance(t)) {
                    if (t.getMessage() == null || t.getMessage().isBlank()) {
                        throw new AssertionError("documented exception without a message", t);
                    }
                    return;
                }
            }
            throw t;
        }
    }
}
