package io.shuttlebridge.spring.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.api.ApiBoundary;
import org.junit.jupiter.api.Test;

/** The starter's public API names no internal type: internals are reachable only on purpose. */
class SpringApiBoundaryTest {
    @Test
    void theApiExposesNoInternalType() {
        assertThat(ApiBoundary.violations("io.shuttlebridge.spring")).isEmpty();
    }
}
