package io.shuttlebridge.cli;

import io.shuttlebridge.core.ProgressListener;
import java.io.PrintWriter;

/** Output helpers: a progress bar on an interactive terminal, nothing when output is redirected. */
public final class Terminal {
    private Terminal() {}

    public static boolean interactive() {
        return System.console() != null && System.getenv("SHUTTLE_NO_PROGRESS") == null;
    }

    /** A progress listener drawing one self-updating line on stderr, or a silent one when not a terminal. */
    public static ProgressListener progress(PrintWriter err) {
        if (!interactive()) {
            return ProgressListener.NONE;
        }
        return new ProgressListener() {
            private long lastDraw;

            @Override
            public void progress(String task, long done, long total) {
                long now = System.nanoTime();
                boolean finished = total >= 0 && done >= total;
                if (!finished && now - lastDraw < 100_000_000L) {
                    return;
                }
                lastDraw = now;
                String line;
                if (total > 0) {
                    int width = 30;
                    int filled = (int) Math.min(width, done * width / total);
                    line = String.format(
                            "%-28s [%s%s] %,d/%,d (%d%%)",
                            task, "#".repeat(filled), ".".repeat(width - filled), done, total, done * 100 / total);
                } else {
                    line = String.format("%-28s %,d", task, done);
                }
                err.print("\r" + line + (finished ? "\n" : ""));
                err.flush();
            }
        };
    }
}
