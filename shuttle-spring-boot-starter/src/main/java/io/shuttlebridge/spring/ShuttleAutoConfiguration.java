package io.shuttlebridge.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.shuttlebridge.client.TokenProvider;
import io.shuttlebridge.core.capture.ShuttleFlywayCallback;
import io.shuttlebridge.server.auth.Authenticator;
import io.shuttlebridge.spring.internal.DataSourceTuner;
import io.shuttlebridge.spring.internal.DeviceHealthIndicator;
import io.shuttlebridge.spring.internal.DeviceMeters;
import io.shuttlebridge.spring.internal.DeviceRuntime;
import io.shuttlebridge.spring.internal.HubAuthenticators;
import io.shuttlebridge.spring.internal.HubHealthIndicator;
import io.shuttlebridge.spring.internal.HubRuntime;
import io.shuttlebridge.spring.internal.HubServletProxy;
import io.shuttlebridge.spring.internal.RunningEngine;
import io.shuttlebridge.spring.internal.SpringJwtAuthenticator;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Shuttle Bridge in a Spring Boot application, as {@code shuttle.mode} says: {@code device} or {@code
 * hub} (see {@link ShuttleProperties}); nothing without it. Runs after the application's {@code
 * DataSource}, Flyway, meter registry and resource server are configured. With Flyway on the class
 * path, a {@link ShuttleFlywayCallback} runs capture again after every migrate.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"
        })
@ConditionalOnProperty(prefix = "shuttle", name = "mode")
@EnableConfigurationProperties(ShuttleProperties.class)
public class ShuttleAutoConfiguration {
    /** The application's HikariCP pool gets the engine's connection settings unless {@code shuttle.datasource.tune=false}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "com.zaxxer.hikari.HikariDataSource")
    @ConditionalOnBooleanProperty(name = "shuttle.datasource.tune", matchIfMissing = true)
    static class DataSourceTuning {
        @Bean
        static BeanPostProcessor shuttleDataSourceTuner() {
            return new DataSourceTuner();
        }
    }

    /** {@code shuttle.mode=device}: capture and background sync; health and meters when the application has them. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "shuttle.mode", havingValue = "device")
    static class Device {
        @Bean
        DeviceRuntime shuttleSync(
                ShuttleProperties properties,
                ObjectProvider<DataSource> dataSource,
                ObjectProvider<TokenProvider> tokens,
                ObjectProvider<ShuttleSyncListener> listeners) {
            TokenProvider token = tokens.getIfAvailable(
                    () -> TokenProvider.of(properties.getSync().getToken()));
            return new DeviceRuntime(
                    properties,
                    dataSource::getIfAvailable,
                    token,
                    () -> listeners.orderedStream().toList());
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
        @ConditionalOnEnabledHealthIndicator("shuttle")
        static class Health {
            @Bean
            @ConditionalOnMissingBean(name = "shuttleHealthIndicator")
            HealthIndicator shuttleHealthIndicator(DeviceRuntime device) {
                return new DeviceHealthIndicator(device);
            }
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
        static class Metrics {
            @Bean
            MeterBinder shuttleDeviceMeters(DeviceRuntime device) {
                return new DeviceMeters(device);
            }
        }

        /** Capture runs again after every Flyway migrate (Spring Boot hands Flyway every Callback bean). */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.flywaydb.core.api.callback.Callback")
        static class FlywayCapture {
            @Bean
            @ConditionalOnMissingBean(ShuttleFlywayCallback.class)
            ShuttleFlywayCallback shuttleFlywayCallback(ConfigurableListableBeanFactory beans) {
                return RunningEngine.callback(beans, "shuttleSync");
            }
        }
    }

    /** {@code shuttle.mode=hub}: the protocol's endpoints on the application's server, over its database. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "shuttle.mode", havingValue = "hub")
    @ConditionalOnClass(name = "io.shuttlebridge.server.HubServer")
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class Hub {
        /** With Spring Security's resource server, the hub's callers are who its {@link JwtDecoder} says. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.security.oauth2.jwt.JwtDecoder")
        static class ResourceServer {
            @Bean
            @ConditionalOnBean(type = "org.springframework.security.oauth2.jwt.JwtDecoder")
            @ConditionalOnMissingBean(Authenticator.class)
            Authenticator shuttleHubAuthenticator(JwtDecoder decoder) {
                return new SpringJwtAuthenticator(decoder);
            }
        }

        @Bean
        @ConditionalOnMissingBean(Authenticator.class)
        Authenticator shuttleHubTokenAuthenticator(ShuttleProperties properties) {
            return HubAuthenticators.fromProperties(properties.getHub());
        }

        @Bean
        HubServletProxy shuttleHubServlet() {
            return new HubServletProxy();
        }

        @Bean
        ServletRegistrationBean<HubServletProxy> shuttleHubServletRegistration(
                HubServletProxy servlet, ShuttleProperties properties) {
            List<String> paths = new ArrayList<>(List.of("/v1/*"));
            if (properties.getHub().isHealthEndpoints()) {
                paths.addAll(List.of("/health", "/health/ready"));
            }
            ServletRegistrationBean<HubServletProxy> r =
                    new ServletRegistrationBean<>(servlet, paths.toArray(String[]::new));
            r.setName("shuttleHub");
            r.setLoadOnStartup(1);
            return r;
        }

        @Bean
        HubRuntime shuttleHub(
                ShuttleProperties properties,
                ObjectProvider<DataSource> dataSource,
                Authenticator authenticator,
                ObjectProvider<MeterRegistry> meters,
                HubServletProxy servlet) {
            return new HubRuntime(properties, dataSource::getIfAvailable, authenticator, meters::getIfUnique, servlet);
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
        @ConditionalOnEnabledHealthIndicator("shuttle")
        static class Health {
            @Bean
            @ConditionalOnMissingBean(name = "shuttleHealthIndicator")
            HealthIndicator shuttleHealthIndicator(HubRuntime hub) {
                return new HubHealthIndicator(hub);
            }
        }

        /**
         * Capture runs again after every Flyway migrate; a migrate while the hub runs has its engine serve
         * the new schema version at once.
         */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(name = "org.flywaydb.core.api.callback.Callback")
        static class FlywayCapture {
            @Bean
            @ConditionalOnMissingBean(ShuttleFlywayCallback.class)
            ShuttleFlywayCallback shuttleFlywayCallback(ConfigurableListableBeanFactory beans) {
                return RunningEngine.callback(beans, "shuttleHub");
            }
        }
    }

    /** {@code shuttle.mode=hub} without the server module: said at start-up rather than silently doing nothing. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "shuttle.mode", havingValue = "hub")
    @ConditionalOnMissingClass("io.shuttlebridge.server.HubServer")
    static class HubWithoutServer {
        HubWithoutServer() {
            throw new IllegalStateException(
                    "shuttle.mode=hub needs the hub's module on the class path: add the"
                            + " dependency io.shuttlebridge:shuttle-server (and the database's driver, org.postgresql:postgresql)");
        }
    }

    /** {@code shuttle.mode=hub} in an application without a servlet web server: nowhere to serve the endpoints. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "shuttle.mode", havingValue = "hub")
    @ConditionalOnNotWebApplication
    static class HubWithoutWebServer {
        HubWithoutWebServer() {
            throw new IllegalStateException("shuttle.mode=hub serves the hub from the application's servlet web server:"
                    + " add spring-boot-starter-webmvc (or run the hub on its own with shuttle serve)");
        }
    }
}
