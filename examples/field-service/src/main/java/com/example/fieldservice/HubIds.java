package com.example.fieldservice;

import io.shuttlebridge.core.id.KSortedIdGenerator;
import io.shuttlebridge.core.id.KSortedIds;
import io.shuttlebridge.core.id.MillisClock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ids of rows the hub's own application creates (a dispatcher's work orders). A device makes its
 * ids from the short id it leased from the hub; the hub leases none to itself, so it uses one that no
 * device is given: the hub hands out the lowest free short ids first, so the highest one is free until
 * the fleet has 1024 devices.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "shuttle.mode", havingValue = "hub")
class HubIds {
    @Bean
    KSortedIdGenerator hubIdGenerator(@Value("${field-service.hub-short-id:1023}") int shortId) {
        KSortedIdGenerator generator = new KSortedIdGenerator(shortId, MillisClock.system());
        KSortedIds.setGlobal(generator);
        return generator;
    }
}
