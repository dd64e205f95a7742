package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ProgressListener;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Thirty simulated days of a hub and a churning population of devices ({@link Soak}): the writes grow
 * with the days while every {@code _shuttle_} table, on the hub and on the devices, stays bounded after the
 * retention window; at the end every device holds exactly the hub's rows and no acknowledged write is
 * lost. The per-day table and the seed are printed; replay with {@code -Dshuttle.soak.seed=N}, longer
 * with {@code -Dshuttle.soak.days=N}. Without the hub's purge the same soak is found unbounded: the check
 * can fail.
 */
class SoakTest {
    private static final long SEED = Long.getLong("shuttle.soak.seed", 30);

    private static SoakResult run(SoakConfig config, String title) {
        SoakResult r = new Soak(config, ProgressListener.NONE).run();
        System.out.println(title + " (seed " + config.seed() + ", replay: -Dshuttle.soak.seed=" + config.seed() + "), "
                + r.elapsedMillis() + " ms:");
        r.table().forEach(System.out::println);
        r.checks().forEach(c -> System.out.println("check " + c));
        r.unbounded().forEach(u -> System.out.println("unbounded " + u));
        return r;
    }

    @Test
    void thirtyDaysOfChurnKeepEveryShuttleTableBoundedAndLoseNothing() {
        SoakConfig config = SoakConfig.builder()
                .days(Integer.getInteger("shuttle.soak.days", 30))
                .seed(SEED)
                .build();
        SoakResult r = run(config, "30-day soak");
        String why = "seed " + SEED + " (replay: -Dshuttle.soak.seed=" + SEED + ")";
        assertThat(r.unexpectedErrors()).as(why + " unexpected errors").isEmpty();
        assertThat(r.differences()).as(why + " devices differ from the hub").isEmpty();
        assertThat(r.lostWrites()).as(why + " acknowledged writes lost").isEmpty();
        assertThat(r.referenceDay()).isPositive();
        SoakResult.Day ref = r.days().get(r.referenceDay() - 1);
        SoakResult.Day last = r.days().get(r.days().size() - 1);
        assertThat(last.writes()).as("the writes grow with the days").isGreaterThan(2 * ref.writes());
        assertThat(last.retired()).as("silent devices are retired").isPositive();
        assertThat(r.unbounded()).as(why + " tables that kept growing").isEmpty();
        assertThat(r.passed()).isTrue();
    }

    @Test
    void withoutTheHubsPurgeItsFeedGrowsWithTheDeletes() {
        SoakConfig config = SoakConfig.builder()
                .days(20)
                .writesPerDay(40)
                .purgeEvery(Duration.ZERO)
                .seed(SEED)
                .build();
        SoakResult r = run(config, "soak without the hub's purge");
        assertThat(r.unbounded())
                .as("the hub's feed keeps every tombstone")
                .anyMatch(u -> u.startsWith("hub _shuttle_feed"))
                .anyMatch(u -> u.startsWith("hub " + SoakResult.TOMBSTONES));
        assertThat(r.differences()).isEmpty();
        assertThat(r.lostWrites()).isEmpty();
    }
}
