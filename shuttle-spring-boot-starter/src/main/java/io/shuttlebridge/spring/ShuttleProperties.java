package io.shuttlebridge.spring;

import io.shuttlebridge.core.ConflictPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code shuttle.*} settings of the Spring Boot starter. Nothing happens until {@code
 * shuttle.mode} is set: {@code device} captures the application's {@code DataSource} and syncs it
 * with a hub in the background; {@code hub} serves the protocol's endpoints from the application's
 * own server over its {@code DataSource}.
 */
@ConfigurationProperties(prefix = "shuttle")
public class ShuttleProperties {
    /** What this application is: a device that syncs with a hub, or a hub devices sync with. Unset: the starter does nothing. */
    private Mode mode;

    private final Sync sync = new Sync();
    private final Capture capture = new Capture();
    private final Hub hub = new Hub();
    private final DataSourceSettings datasource = new DataSourceSettings();

    /** The roles an application can take. */
    public enum Mode {
        /** Captures the application's database and syncs it with a hub (shuttle.sync.*). */
        DEVICE,
        /** Serves protocol v1 from the application's server over its database (shuttle.hub.*). */
        HUB
    }

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public Sync getSync() {
        return sync;
    }

    public Capture getCapture() {
        return capture;
    }

    public Hub getHub() {
        return hub;
    }

    public DataSourceSettings getDatasource() {
        return datasource;
    }

    /** How a device syncs with its hub. */
    public static class Sync {
        /** The hub's base URL, e.g. http://hub.example.com:7070 (required in device mode). */
        private URI hubUrl;

        /** The bearer token sent to the hub; a TokenProvider bean, when there is one, is used instead. */
        private String token;

        /**
         * Whether to follow the hub's stream (WebSocket) and sync moments after the hub or this
         * application changes something; when false, sync every interval only.
         */
        private boolean live = true;

        /**
         * How often to sync: the period when not live, the fallback sync (nothing waits on a lost
         * notification) when live.
         */
        private Duration interval = Duration.ofSeconds(30);

        /** How long shutdown waits for a sync that is running to finish. */
        private Duration shutdownTimeout = Duration.ofSeconds(30);

        public URI getHubUrl() {
            return hubUrl;
        }

        public void setHubUrl(URI hubUrl) {
            this.hubUrl = hubUrl;
        }

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public boolean isLive() {
            return live;
        }

        public void setLive(boolean live) {
            this.live = live;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }
    }

    /** Which tables and columns are captured, and how their conflicts are decided (as shuttle init). */
    public static class Capture {
        /** Tables to sync; empty: every table of the database (Flyway's history table is always left out). */
        private List<String> tables = new ArrayList<>();

        /** Columns that are not replicated, written table.column (an auto-maintained updated_at, say). */
        private List<String> excludeColumns = new ArrayList<>();

        /** The conflict policy of the synced tables (unless table-policies names another); unset: LWW for new tables. */
        private ConflictPolicy policy;

        /** A conflict policy per table, overriding policy. */
        private Map<String, ConflictPolicy> tablePolicies = new LinkedHashMap<>();

        public List<String> getTables() {
            return tables;
        }

        public void setTables(List<String> tables) {
            this.tables = tables;
        }

        public List<String> getExcludeColumns() {
            return excludeColumns;
        }

        public void setExcludeColumns(List<String> excludeColumns) {
            this.excludeColumns = excludeColumns;
        }

        public ConflictPolicy getPolicy() {
            return policy;
        }

        public void setPolicy(ConflictPolicy policy) {
            this.policy = policy;
        }

        public Map<String, ConflictPolicy> getTablePolicies() {
            return tablePolicies;
        }

        public void setTablePolicies(Map<String, ConflictPolicy> tablePolicies) {
            this.tablePolicies = tablePolicies;
        }
    }

    /** Who may call a hub served by this application, and where its endpoints are. */
    public static class Hub {
        /**
         * One shared bearer token every device carries; used when the application has no JwtDecoder
         * bean (Spring Security's resource server) and no shuttle.hub.jwt.* settings.
         */
        private String token;

        /** Lets any caller in when no token or JWT settings are given (only behind a gateway that checks). */
        private boolean allowAnonymous;

        /** Also serve the hub's /health and /health/ready (the protocol's liveness and readiness). */
        private boolean healthEndpoints = true;

        private final Jwt jwt = new Jwt();

        public String getToken() {
            return token;
        }

        public void setToken(String token) {
            this.token = token;
        }

        public boolean isAllowAnonymous() {
            return allowAnonymous;
        }

        public void setAllowAnonymous(boolean allowAnonymous) {
            this.allowAnonymous = allowAnonymous;
        }

        public boolean isHealthEndpoints() {
            return healthEndpoints;
        }

        public void setHealthEndpoints(boolean healthEndpoints) {
            this.healthEndpoints = healthEndpoints;
        }

        public Jwt getJwt() {
            return jwt;
        }
    }

    /** The hub's own JWT checks, for an application without Spring Security's resource server. */
    public static class Jwt {
        /** A JWK set (file or http(s) URL) that RS256/ES256 tokens are verified against. */
        private String jwkSet;

        /** A file holding the HS256 secret tokens are signed with. */
        private String hs256SecretFile;

        /** The issuer (iss) tokens must carry. */
        private String issuer;

        /** The audience (aud) tokens must name. */
        private String audience;

        public String getJwkSet() {
            return jwkSet;
        }

        public void setJwkSet(String jwkSet) {
            this.jwkSet = jwkSet;
        }

        public String getHs256SecretFile() {
            return hs256SecretFile;
        }

        public void setHs256SecretFile(String hs256SecretFile) {
            this.hs256SecretFile = hs256SecretFile;
        }

        public String getIssuer() {
            return issuer;
        }

        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }

        public String getAudience() {
            return audience;
        }

        public void setAudience(String audience) {
            this.audience = audience;
        }
    }

    /** What the starter does to the application's connection pool. */
    public static class DataSourceSettings {
        /**
         * Give the application's HikariCP pool the connection settings the engine needs, unless already
         * set: on SQLite WAL, synchronous=NORMAL, foreign_keys, a busy timeout and IMMEDIATE
         * transactions; on PostgreSQL stringtype=unspecified.
         */
        private boolean tune = true;

        public boolean isTune() {
            return tune;
        }

        public void setTune(boolean tune) {
            this.tune = tune;
        }
    }
}
