package io.shuttlebridge.spring.internal;

import io.shuttlebridge.server.HubServer;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

/**
 * The hub's stream on the application's WebSocket container (Tomcat's, with {@code
 * tomcat-embed-websocket}, as {@code spring-boot-starter-webmvc} brings it). Apart from {@link
 * HubRuntime} so that the WebSocket API is loaded only when the container is there.
 */
final class HubStream {
    static final String CONTAINER = "jakarta.websocket.server.ServerContainer";

    private HubStream() {}

    /** Whether the application's servlet context has a WebSocket container. */
    static boolean available(ServletContext context) {
        return context != null && context.getAttribute(CONTAINER) != null;
    }

    static void serve(HubServer hub, ServletContext context) {
        try {
            hub.serveStream((ServerContainer) context.getAttribute(CONTAINER));
        } catch (DeploymentException e) {
            throw new IllegalStateException(
                    "the hub's stream could not be added to the WebSocket container: " + e.getMessage(), e);
        }
    }
}
