package io.shuttlebridge.jpa;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

/** A test entity: a reference to a customer, dates and times of every kind, a flag. */
@Entity
@Cacheable
@Table(name = "visit")
public class Visit extends SyncEntity {
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "customer_id", nullable = false)
    private Customer customer;

    @Column(name = "scheduled_at")
    private Instant scheduledAt;

    @Column(name = "local_start")
    private LocalDateTime localStart;

    private LocalDate day;
    private boolean done;
    private String notes;

    protected Visit() {}

    public Visit(Customer customer, Instant scheduledAt, LocalDateTime localStart, LocalDate day, String notes) {
        this.customer = customer;
        this.scheduledAt = scheduledAt;
        this.localStart = localStart;
        this.day = day;
        this.notes = notes;
    }

    public Customer getCustomer() {
        return customer;
    }

    public Instant getScheduledAt() {
        return scheduledAt;
    }

    public void setScheduledAt(Instant scheduledAt) {
        this.scheduledAt = scheduledAt;
    }

    public LocalDateTime getLocalStart() {
        return localStart;
    }

    public LocalDate getDay() {
        return day;
    }

    public boolean isDone() {
        return done;
    }

    public void setDone(boolean done) {
        this.done = done;
    }

    public String getNotes() {
        return notes;
    }

    public void setNotes(String notes) {
        this.notes = notes;
    }
}
