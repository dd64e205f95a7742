package io.shuttlebridge.jpa.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.api.ApiBoundary;
import org.junit.jupiter.api.Test;

/** shuttle-jpa's public API names no internal type: internals are reachable only on purpose. */
class JpaApiBoundaryTest {
    @Test
    void theApiExposesNoInternalType() {
        assertThat(ApiBoundary.violations("io.shuttlebridge.jpa")).isEmpty();
    }
}
