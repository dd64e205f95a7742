package com.example.fieldservice;

import io.shuttlebridge.jpa.SyncEntity;
import jakarta.persistence.Entity;

/** A technician. Extending {@link SyncEntity} is all it takes for the table to sync. */
@Entity
public class Technician extends SyncEntity {
    private String name;
    private String phone;

    protected Technician() {}

    public Technician(String name, String phone) {
        this.name = name;
        this.phone = phone;
    }

    public String getName() {
        return name;
    }

    public String getPhone() {
        return phone;
    }
}
