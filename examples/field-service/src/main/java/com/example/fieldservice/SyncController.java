package com.example.fieldservice;

import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.spring.ShuttleSync;
import io.shuttlebridge.spring.ShuttleSyncStatus;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * On a device only: the starter syncs in the background, and {@link ShuttleSync} lets the application
 * sync when it chooses (a "sync now" button) and show where the device stands.
 */
@RestController
@RequestMapping("/sync")
@ConditionalOnProperty(name = "shuttle.mode", havingValue = "device")
class SyncController {
    private final ShuttleSync sync;

    SyncController(ShuttleSync sync) {
        this.sync = sync;
    }

    @PostMapping
    SyncReport syncNow() {
        return sync.sync();
    }

    @GetMapping
    ShuttleSyncStatus status() {
        return sync.status();
    }

    /** The hub unreachable, a token refused, ...: the device works on, and the caller is told why. */
    @ExceptionHandler(ShuttleException.class)
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    ProblemDetail syncFailed(ShuttleException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
