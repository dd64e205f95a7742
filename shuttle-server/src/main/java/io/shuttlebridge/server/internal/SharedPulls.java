package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.sync.PullResult;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pull pages that many devices ask for alike, read and encoded once. When the feed advances, every
 * live device is told and pulls from where it was, most from the same cursor: the page for a cursor
 * is read once without leaving anyone's changes out, and served as it is to every device that wrote
 * none of its changes (for the others, leaving their own changes out would change the answer: they
 * get a page of their own). A page is kept while the feed position the hub knows of is the one it
 * was read at; any advance retires it. Not used under sync rules (each subject's answer differs).
 */
public final class SharedPulls {
    private static final int MAX_PAGES = 256;

    private record Key(long since, int limit) {}

    /** A page read at feed position {@code position}: its bytes, and the nodes that sent its changes to the hub. */
    private record Page(long position, Set<String> senders, byte[] body, int changes, long next) {}

    /** A page served from the cache: its bytes and how many changes it holds. */
    public record Hit(byte[] body, int changes, long next) {}

    private final Map<Key, Page> pages = new ConcurrentHashMap<>();
    private volatile long schemaVersion;

    /** Forgets every page when the hub's schema version moved: a page says the version it was read under. */
    public void forSchema(long version) {
        if (version != schemaVersion) {
            pages.clear();
            schemaVersion = version;
        }
    }

    /** The page for {@code since}, if one read at {@code position} holds none of {@code node}'s changes. */
    public Hit lookup(long since, int limit, long position, String node) {
        Page p = pages.get(new Key(since, limit));
        if (p == null || p.position() != position || p.senders().contains(node)) {
            return null;
        }
        return new Hit(p.body(), p.changes(), p.next());
    }

    /** Keeps {@code page} (read with no one's changes left out, at {@code position}), who sent them, and its bytes. */
    public void store(long since, int limit, long position, PullResult page, Set<String> senders, byte[] body) {
        if (page.resyncRequired()) {
            return;
        }
        if (pages.size() >= MAX_PAGES) {
            for (Iterator<Page> it = pages.values().iterator(); it.hasNext(); ) {
                if (it.next().position() != position) {
                    it.remove(); // read before the last advance: never served again
                }
            }
            if (pages.size() >= MAX_PAGES) {
                pages.clear();
            }
        }
        pages.put(
                new Key(since, limit),
                new Page(position, Set.copyOf(senders), body, page.changes().size(), page.next()));
    }
}
