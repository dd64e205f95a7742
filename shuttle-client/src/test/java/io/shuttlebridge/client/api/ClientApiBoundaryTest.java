package io.shuttlebridge.client.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.api.ApiBoundary;
import org.junit.jupiter.api.Test;

/** shuttle-client's public API names no internal type: internals are reachable only on purpose. */
class ClientApiBoundaryTest {
    @Test
    void theApiExposesNoInternalType() {
        assertThat(ApiBoundary.violations("io.shuttlebridge.client")).isEmpty();
    }
}
