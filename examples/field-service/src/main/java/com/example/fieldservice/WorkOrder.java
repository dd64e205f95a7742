package com.example.fieldservice;

import io.shuttlebridge.jpa.SyncEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ManyToOne;
import java.time.LocalDate;

/**
 * A job at a customer's site. {@link SyncEntity} brings the id (unique across devices, made offline),
 * {@code updatedAt}, {@code version} and soft delete; the table's conflict policy is FIELD_LWW
 * (application.yml): when two devices edit one work order offline, each column keeps its latest edit.
 */
@Entity
public class WorkOrder extends SyncEntity {
    public enum Status {
        OPEN,
        IN_PROGRESS,
        DONE
    }

    private String title;
    private String site;

    @Enumerated(EnumType.STRING)
    private Status status = Status.OPEN;

    private String notes;
    private LocalDate dueOn;

    @ManyToOne(fetch = FetchType.LAZY)
    private Technician technician;

    protected WorkOrder() {}

    public WorkOrder(String title, String site, LocalDate dueOn) {
        this.title = title;
        this.site = site;
        this.dueOn = dueOn;
    }

    public String getTitle() {
        return title;
    }

    public String getSite() {
        return site;
    }

    public Status getStatus() {
        return status;
    }

    public void setStatus(Status status) {
        this.status = status;
    }

    public String getNotes() {
        return notes;
    }

    public void setNotes(String notes) {
        this.notes = notes;
    }

    public LocalDate getDueOn() {
        return dueOn;
    }

    public Technician getTechnician() {
        return technician;
    }

    public void setTechnician(Technician technician) {
        this.technician = technician;
    }
}
