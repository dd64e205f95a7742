package io.shuttlebridge.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.api.ApiBoundary;
import org.junit.jupiter.api.Test;

/** shuttle-server's public API names no internal type: internals are reachable only on purpose. */
class ServerApiBoundaryTest {
    @Test
    void theApiExposesNoInternalType() {
        assertThat(ApiBoundary.violations("io.shuttlebridge.server")).isEmpty();
    }
}
