package io.shuttlebridge.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ConflictPolicy;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The shuttle.* properties: how they bind, their IDE metadata, and the mistakes start-up names. */
class ShuttlePropertiesTest {
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ShuttleProperties.class)
    static class Bound {}

    final ApplicationContextRunner binding = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    final ApplicationContextRunner starter =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ShuttleAutoConfiguration.class));

    @Test
    void everyPropertyBindsFromItsDocumentedName() {
        binding.withPropertyValues(
                        "shuttle.mode=device",
                        "shuttle.sync.hub-url=https://hub.example.com:7070",
                        "shuttle.sync.token=abc",
                        "shuttle.sync.live=false",
                        "shuttle.sync.interval=5s",
                        "shuttle.sync.shutdown-timeout=1m",
                        "shuttle.capture.tables=note,task",
                        "shuttle.capture.exclude-columns=note.updated_at,task.synced_at",
                        "shuttle.capture.policy=field-lww",
                        "shuttle.capture.table-policies.task=MANUAL",
                        "shuttle.hub.token=t",
                        "shuttle.hub.allow-anonymous=true",
                        "shuttle.hub.health-endpoints=false",
                        "shuttle.hub.jwt.jwk-set=https://idp/jwks.json",
                        "shuttle.hub.jwt.issuer=https://idp",
                        "shuttle.hub.jwt.audience=shuttle",
                        "shuttle.datasource.tune=false")
                .run(ctx -> {
                    ShuttleProperties p = ctx.getBean(ShuttleProperties.class);
                    assertThat(p.getMode()).isEqualTo(ShuttleProperties.Mode.DEVICE);
                    assertThat(p.getSync().getHubUrl()).isEqualTo(URI.create("https://hub.example.com:7070"));
                    assertThat(p.getSync().getToken()).isEqualTo("abc");
                    assertThat(p.getSync().isLive()).isFalse();
                    assertThat(p.getSync().getInterval()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(p.getSync().getShutdownTimeout()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(p.getCapture().getTables()).containsExactly("note", "task");
                    assertThat(p.getCapture().getExcludeColumns()).containsExactly("note.updated_at", "task.synced_at");
                    assertThat(p.getCapture().getPolicy()).isEqualTo(ConflictPolicy.FIELD_LWW);
                    assertThat(p.getCapture().getTablePolicies()).isEqualTo(Map.of("task", ConflictPolicy.MANUAL));
                    assertThat(p.getHub().getToken()).isEqualTo("t");
                    assertThat(p.getHub().isAllowAnonymous()).isTrue();
                    assertThat(p.getHub().isHealthEndpoints()).isFalse();
                    assertThat(p.getHub().getJwt().getJwkSet()).isEqualTo("https://idp/jwks.json");
                    assertThat(p.getHub().getJwt().getIssuer()).isEqualTo("https://idp");
                    assertThat(p.getHub().getJwt().getAudience()).isEqualTo("shuttle");
                    assertThat(p.getDatasource().isTune()).isFalse();
                });
    }

    @Test
    void theDefaults() {
        binding.run(ctx -> {
            ShuttleProperties p = ctx.getBean(ShuttleProperties.class);
            assertThat(p.getMode()).isNull();
            assertThat(p.getSync().isLive()).isTrue();
            assertThat(p.getSync().getInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(p.getCapture().getTables()).isEmpty();
            assertThat(p.getCapture().getPolicy()).isNull();
            assertThat(p.getHub().isHealthEndpoints()).isTrue();
            assertThat(p.getDatasource().isTune()).isTrue();
        });
    }

    @Test
    void theMetadataForIdeCompletionIsGenerated() throws Exception {
        JsonNode doc;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in)
                    .as("META-INF/spring-configuration-metadata.json on the class path")
                    .isNotNull();
            doc = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        doc.path("properties").forEach(p -> {
            names.add(p.path("name").asText());
            assertThat(p.path("description").asText())
                    .as(p.path("name").asText())
                    .isNotBlank();
        });
        assertThat(names)
                .contains(
                        "shuttle.mode",
                        "shuttle.sync.hub-url",
                        "shuttle.sync.token",
                        "shuttle.sync.live",
                        "shuttle.sync.interval",
                        "shuttle.capture.exclude-columns",
                        "shuttle.capture.policy");
    }

    @Test
    void withoutAModeTheStarterDoesNothing() {
        starter.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx).doesNotHaveBean(ShuttleSync.class);
            assertThat(ctx).doesNotHaveBean(ShuttleHub.class);
        });
    }

    @Test
    void anUnknownModeIsRefusedNamingTheProperty() {
        starter.withPropertyValues("shuttle.mode=relay")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("relay"));
        starter.withPropertyValues("shuttle.mode=relay")
                .run(ctx -> assertThat(ctx)
                        .getFailure()
                        .hasStackTraceContaining("Failed to bind properties under 'shuttle.mode'"));
    }

    @Test
    void aDeviceWithoutAHubUrlIsRefusedNamingTheProperty() {
        starter.withPropertyValues("shuttle.mode=device")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("shuttle.sync.hub-url"));
        starter.withPropertyValues("shuttle.mode=device", "shuttle.sync.hub-url=ftp://hub")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("http://"));
        starter.withPropertyValues("shuttle.mode=device", "shuttle.sync.hub-url=http://hub", "shuttle.sync.interval=0s")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("shuttle.sync.interval"));
    }

    @Test
    void aHubThatCannotTellWhoCallsIsRefused() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ShuttleAutoConfiguration.class))
                .withPropertyValues("shuttle.mode=hub")
                .run(ctx -> assertThat(ctx)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("shuttle.hub.token")
                        .hasMessageContaining("JwtDecoder"));
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ShuttleAutoConfiguration.class))
                .withPropertyValues("shuttle.mode=hub", "shuttle.hub.token=a", "shuttle.hub.jwt.jwk-set=/k.json")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("not several"));
    }

    @Test
    void aHubOutsideAWebApplicationIsRefused() {
        starter.withPropertyValues("shuttle.mode=hub", "shuttle.hub.token=a")
                .run(ctx -> assertThat(ctx).getFailure().rootCause().hasMessageContaining("web server"));
    }
}
