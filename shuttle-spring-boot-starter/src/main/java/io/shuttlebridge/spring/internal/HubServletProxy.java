package io.shuttlebridge.spring.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What the application's servlet container calls for the hub's paths: the hub's own servlet once the
 * hub has started (after Flyway's migrations, when the application context has every bean), a 503 in
 * the protocol's error form before and after. Registered when the web server is made, which is before
 * the hub can be.
 */
public final class HubServletProxy extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient volatile Servlet target;
    private transient ServletConfig config;

    @Override
    public synchronized void init(ServletConfig c) throws ServletException {
        super.init(c);
        this.config = c;
        if (target != null) {
            target.init(c);
        }
    }

    /** Starts answering with {@code hub}'s servlet. */
    synchronized void serve(Servlet hub) throws ServletException {
        if (config != null) {
            hub.init(config);
        }
        target = hub;
    }

    /** Stops answering: the hub is stopping. */
    synchronized void unserve() {
        Servlet t = target;
        target = null;
        if (t != null && config != null) {
            t.destroy();
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        Servlet t = target;
        if (t != null) {
            t.service(req, res);
            return;
        }
        res.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        res.setHeader("Retry-After", "1");
        res.setContentType("application/json");
        res.getOutputStream()
                .write(
                        ("{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"the hub is starting or stopping: try again\"}}")
                                .getBytes(StandardCharsets.UTF_8));
    }
}
