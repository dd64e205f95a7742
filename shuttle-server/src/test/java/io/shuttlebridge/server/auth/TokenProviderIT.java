package io.shuttlebridge.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.TokenProvider;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device whose token expires hands in a fresh one through its TokenProvider, and the request goes through. */
class TokenProviderIT {
    private static final byte[] SECRET =
            "an HS256 secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    private static final long HOUR = 3_600_000;

    @TempDir
    Path dir;

    private ShuttleDatabase hubDb;
    private HubServer hub;

    @BeforeEach
    void start() {
        hubDb = AuthFixtures.database(dir, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        hub = AuthFixtures.serve(
                SyncEngine.open(hubDb), JwtAuthenticator.hs256(SECRET).build());
    }

    @AfterEach
    void stop() {
        hub.close();
        hubDb.close();
    }

    @Test
    void anExpiredTokenIsReplacedByTheProvidersFreshOneOnce() {
        String expired = TokenIssuer.hs256(SECRET)
                .withClock(() -> System.currentTimeMillis() - 2 * HOUR)
                .issue("alice", Map.of(), Duration.ofHours(1), null, null);
        String fresh = TokenIssuer.hs256(SECRET).issue("alice", Map.of(), Duration.ofHours(1), null, null);
        AtomicInteger asked = new AtomicInteger();
        // the app notices the expiry only after the first refusal, as a refresh on a timer would
        TokenProvider refreshing = () -> asked.getAndIncrement() == 0 ? expired : fresh;
        HttpTransport transport =
                HttpTransport.builder(hub.url()).tokenProvider(refreshing).build();
        assertThat(transport.limits().maxBatch()).isPositive();
        assertThat(asked.get()).isGreaterThanOrEqualTo(3); // the refused request, the check, the retry

        HttpTransport stale =
                HttpTransport.builder(hub.url()).tokenProvider(() -> expired).build();
        ShuttleException e = catchThrowableOfType(ShuttleException.class, stale::limits);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e).hasMessageContaining("401").hasMessageContaining("expired at");
    }
}
