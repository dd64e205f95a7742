package io.shuttlebridge.bridge;

/** How a batch ended. */
public enum BatchOutcome {
    /** Still running (or the process died; the next run of the entity marks it {@link #INTERRUPTED}). */
    RUNNING,
    /** The batch processed everything the source had (a complete pass or increment). */
    SUCCEEDED,
    /** Stopped at a window end or the window's row limit; the pass goes on from where it stopped. */
    PAUSED,
    /** Failed with an error; committed chunks stay, the pass resumes from the last commit. */
    FAILED,
    /** The process running it stopped before it finished; the pass resumes from the last commit. */
    INTERRUPTED
}
