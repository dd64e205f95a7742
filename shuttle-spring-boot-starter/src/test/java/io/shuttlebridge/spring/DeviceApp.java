package io.shuttlebridge.spring;

import io.shuttlebridge.core.change.Change;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A device application as a user writes one: a SQLite DataSource, Flyway migrations, the starter in
 * device mode, a listener bean for the changes syncs apply. No security (the test classpath has Spring
 * Security for the hub's tests).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
        excludeName = {
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"
        })
class DeviceApp {
    /** What the listener bean heard, across the tests of one context. */
    static final List<Change> HEARD = new CopyOnWriteArrayList<>();

    @Bean
    ShuttleSyncListener recordingListener() {
        return new ShuttleSyncListener() {
            @Override
            public void applied(List<Change> changes) {
                HEARD.addAll(changes);
            }
        };
    }
}
