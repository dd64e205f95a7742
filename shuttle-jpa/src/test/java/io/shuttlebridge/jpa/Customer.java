package io.shuttlebridge.jpa;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.util.UUID;

/** A test entity: text and a UUID. */
@Entity
@Cacheable
@Table(name = "customer")
public class Customer extends SyncEntity {
    private String name;
    private UUID ref;

    protected Customer() {}

    public Customer(String name, UUID ref) {
        this.name = name;
        this.ref = ref;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public UUID getRef() {
        return ref;
    }
}
