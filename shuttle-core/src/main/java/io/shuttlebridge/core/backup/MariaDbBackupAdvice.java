package io.shuttlebridge.core.backup;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * How to back up and restore a MariaDB or MySQL hub, in one line, for {@code shuttle backup} to refuse such a URL
 * with: {@code mariadb-dump} ({@code mysqldump} for a {@code jdbc:mysql:} URL) of the whole database in one
 * consistent InnoDB snapshot ({@code --single-transaction}: no table locks, the hub keeps running), the {@code
 * _shuttle_} tables and the capture triggers included, binary columns as hex. The host, port, database and user
 * come from the URL; a password never does (the client asks for it).
 */
final class MariaDbBackupAdvice {
    private MariaDbBackupAdvice() {}

    static String of(String jdbcUrl) {
        boolean mysql = jdbcUrl.startsWith("jdbc:mysql:");
        String dump = mysql ? "mysqldump" : "mariadb-dump";
        String client = mysql ? "mysql" : "mariadb";
        String product = mysql ? "MySQL" : "MariaDB";
        Target t = Target.parse(jdbcUrl);
        String connect = t.options();
        return "shuttle backup copies SQLite files; back up a " + product + " hub with " + dump
                + ", the whole database with its _shuttle_ tables and capture triggers (feed, tombstones, cursors,"
                + " tickets, leases: a dump without them cannot serve its devices): " + dump
                + " --single-transaction --triggers --routines --hex-blob --default-character-set=utf8mb4" + connect
                + " --result-file=hub.sql " + t.database() + " (one consistent InnoDB snapshot while the hub runs;"
                + " add -p to be asked for the password). Restore: stop the hub, " + client
                + " --default-character-set=utf8mb4" + connect + " " + t.database()
                + " < hub.sql into an empty database, start it; devices that synced after the dump push again what"
                + " it lost (README, Backups and restores)";
    }

    /** Host, port, database and user of a {@code jdbc:mariadb://} or {@code jdbc:mysql://} URL. */
    private record Target(String host, String port, String database, String user) {
        static Target parse(String url) {
            String rest = url.substring(url.indexOf(':', "jdbc:".length()) + 1);
            if (rest.startsWith("//")) {
                rest = rest.substring(2);
            }
            int query = rest.indexOf('?');
            String params = query < 0 ? "" : rest.substring(query + 1);
            String path = query < 0 ? rest : rest.substring(0, query);
            int slash = path.indexOf('/');
            String hosts = slash < 0 ? path : path.substring(0, slash);
            String database = slash < 0 ? "" : path.substring(slash + 1);
            int at = hosts.lastIndexOf('@'); // user:password@host, never repeated
            String user = null;
            if (at >= 0) {
                String info = hosts.substring(0, at);
                user = info.contains(":") ? info.substring(0, info.indexOf(':')) : info;
                hosts = hosts.substring(at + 1);
            }
            String first = hosts.split(",")[0]; // a failover or replication URL: its first host
            String host = first;
            String port = null;
            int colon = first.lastIndexOf(':');
            if (colon > 0 && !first.endsWith("]")) {
                host = first.substring(0, colon);
                port = first.substring(colon + 1);
            }
            for (String kv : params.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.substring(0, eq).equals("user")) {
                    user = URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return new Target(host, port, database.isEmpty() ? "DATABASE" : database, user);
        }

        String options() {
            StringBuilder out = new StringBuilder();
            if (!host.isEmpty()) {
                out.append(" --host=").append(host);
            }
            if (port != null && !port.isEmpty()) {
                out.append(" --port=").append(port);
            }
            if (user != null && !user.isEmpty()) {
                out.append(" --user=").append(user);
            }
            return out.toString();
        }
    }
}
