package io.shuttlebridge.bridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.api.ApiBoundary;
import org.junit.jupiter.api.Test;

/** shuttle-bridge's public API names no internal type: internals are reachable only on purpose. */
class BridgeApiBoundaryTest {
    @Test
    void theApiExposesNoInternalType() {
        assertThat(ApiBoundary.violations("io.shuttlebridge.bridge")).isEmpty();
    }
}
