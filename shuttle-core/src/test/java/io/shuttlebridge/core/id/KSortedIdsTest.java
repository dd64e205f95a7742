package io.shuttlebridge.core.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KSortedIdsTest {

    private final ManualClock clock = ManualClock.at("2026-01-01T00:00:00Z");
    private final KSortedIdGenerator global = new KSortedIdGenerator(1, clock);
    private final KSortedIdGenerator tenantA = new KSortedIdGenerator(2, clock);
    private final KSortedIdGenerator tenantB = new KSortedIdGenerator(3, clock);

    @BeforeEach
    @AfterEach
    void clear() {
        KSortedIds.clearGlobal();
    }

    @Test
    void withoutAnyGeneratorTheErrorSaysHowToConfigureOne() {
        assertThatThrownBy(KSortedIds::next)
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ID_GENERATION))
                .hasMessageContaining("No id generator is configured")
                .hasMessageContaining("KSortedIds.setGlobal")
                .hasMessageContaining("KSortedIds.withGenerator");
    }

    @Test
    void usesTheGlobalGeneratorByDefault() {
        KSortedIds.setGlobal(global);

        assertThat(KSortedIds.current()).isSameAs(global);
        assertThat(KSortedId.shortId(KSortedIds.next())).isEqualTo(1);
    }

    @Test
    void overrideAppliesInsideTheScopeAndIsRestoredAfterwards() {
        KSortedIds.setGlobal(global);

        long inside = KSortedIds.withGenerator(tenantA, KSortedIds::next);

        assertThat(KSortedId.shortId(inside)).isEqualTo(2);
        assertThat(KSortedIds.current()).isSameAs(global);
    }

    @Test
    void overrideWorksWithoutAGlobalGeneratorAndLeavesNoneBehind() {
        int[] shortId = new int[1];
        KSortedIds.withGenerator(tenantA, () -> shortId[0] = KSortedId.shortId(KSortedIds.next()));

        assertThat(shortId[0]).isEqualTo(2);
        assertThatThrownBy(KSortedIds::next).isInstanceOf(ShuttleException.class);
    }

    @Test
    void scopesNestAndEachRestoresTheOuterOne() {
        KSortedIds.setGlobal(global);

        KSortedIds.withGenerator(tenantA, () -> {
            assertThat(KSortedIds.current()).isSameAs(tenantA);
            KSortedIds.withGenerator(
                    tenantB, () -> assertThat(KSortedIds.current()).isSameAs(tenantB));
            assertThat(KSortedIds.current()).isSameAs(tenantA);
        });
        assertThat(KSortedIds.current()).isSameAs(global);
    }

    @Test
    void overrideIsRestoredWhenTheBodyThrows() {
        KSortedIds.setGlobal(global);

        assertThatThrownBy(() -> KSortedIds.withGenerator(tenantA, (Runnable) () -> {
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(KSortedIds.current()).isSameAs(global);
    }

    @Test
    void overrideIsPerThread() throws Exception {
        KSortedIds.setGlobal(global);

        KSortedIdGenerator seenByOtherThread = KSortedIds.withGenerator(tenantA, () -> {
            try {
                return CompletableFuture.supplyAsync(KSortedIds::current).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        assertThat(seenByOtherThread).isSameAs(global);
    }
}
