package io.shuttlebridge.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Logback's logger of a name, whose level a test sets. Test classes that run at once in one JVM can ask
 * while SLF4J is still being initialized by another, which then hands out a stand-in logger: this waits
 * for logback instead.
 */
final class Logs {
    private Logs() {}

    static Logger logback(String name) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            ILoggerFactory f = LoggerFactory.getILoggerFactory();
            if (f instanceof LoggerContext logback) {
                return logback.getLogger(name);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "logging is not logback's: " + f.getClass().getName());
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static Logger logback(Class<?> c) {
        return logback(c.getName());
    }
}
