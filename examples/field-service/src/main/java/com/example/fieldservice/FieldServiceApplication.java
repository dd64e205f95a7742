package com.example.fieldservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Work orders for field technicians. One application, two roles chosen by profile: {@code hub} (the
 * office's server on PostgreSQL, where dispatchers plan the work) and {@code device} (a technician's
 * laptop or tablet on a SQLite file, which keeps working without a network and syncs with the hub).
 */
@SpringBootApplication
public class FieldServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(FieldServiceApplication.class, args);
    }
}
