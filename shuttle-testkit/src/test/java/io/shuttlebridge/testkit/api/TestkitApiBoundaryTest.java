package io.shuttlebridge.testkit.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.api.ApiBoundary;
import org.junit.jupiter.api.Test;

/** shuttle-testkit's public API names no internal type: internals are reachable only on purpose. */
class TestkitApiBoundaryTest {
    @Test
    void theApiExposesNoInternalType() {
        assertThat(ApiBoundary.violations("io.shuttlebridge.testkit")).isEmpty();
    }
}
