package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.util.List;

/** The triggers that capture a synced table's writes into the log. */
public interface CaptureTriggers {

    /** Statements that (re)create the capture triggers of one table, dropping old ones first. */
    List<String> installTriggers(SyncedTable table);
}
