package io.shuttlebridge.core.internal.change;

import io.shuttlebridge.core.change.Change;
import java.util.LinkedHashMap;

/**
 * Column values built for one {@link Change} and handed over to it: the change keeps this map (behind
 * an unmodifiable view) instead of copying it. Whoever fills one must not touch it after passing it
 * to the change. Readers that build a change per row use it to halve what they allocate.
 */
public final class HandedOverValues extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    public HandedOverValues(int columns) {
        super(Math.max(4, columns * 4 / 3 + 1));
    }
}
