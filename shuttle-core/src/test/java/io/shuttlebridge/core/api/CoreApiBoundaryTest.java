package io.shuttlebridge.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** shuttle-core's public API names no internal type: internals are reachable only on purpose. */
class CoreApiBoundaryTest {
    @Test
    void theApiExposesNoInternalType() {
        assertThat(ApiBoundary.violations("io.shuttlebridge.core")).isEmpty();
    }
}
