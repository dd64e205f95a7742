package com.example.fieldservice;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.time.LocalDate;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Work orders over HTTP, the same in both roles: dispatchers use the hub's, technicians their
 * device's. Nothing here knows about sync.
 */
@RestController
@RequestMapping("/work-orders")
class WorkOrderController {
    record NewWorkOrder(String title, String site, LocalDate dueOn, Long technicianId) {}

    /** A partial update: the fields given are changed, the others kept. */
    record WorkOrderChange(WorkOrder.Status status, String notes, Long technicianId) {}

    /** Ids are 64-bit: they travel as strings, which JavaScript clients read without rounding. */
    record WorkOrderView(
            @JsonFormat(shape = JsonFormat.Shape.STRING) long id,
            String title,
            String site,
            WorkOrder.Status status,
            String notes,
            LocalDate dueOn,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Long technicianId,
            long version) {
        static WorkOrderView of(WorkOrder w) {
            return new WorkOrderView(
                    w.getId(),
                    w.getTitle(),
                    w.getSite(),
                    w.getStatus(),
                    w.getNotes(),
                    w.getDueOn(),
                    w.getTechnician() == null ? null : w.getTechnician().getId(),
                    w.getVersion());
        }
    }

    private final WorkOrderRepository workOrders;
    private final TechnicianRepository technicians;

    WorkOrderController(WorkOrderRepository workOrders, TechnicianRepository technicians) {
        this.workOrders = workOrders;
        this.technicians = technicians;
    }

    /** Every work order, oldest first: the ids sort by creation time. */
    @GetMapping
    List<WorkOrderView> list() {
        return workOrders.findAll(Sort.by("id")).stream().map(WorkOrderView::of).toList();
    }

    @GetMapping("/{id}")
    WorkOrderView get(@PathVariable long id) {
        return WorkOrderView.of(find(id));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    WorkOrderView create(@RequestBody NewWorkOrder body) {
        if (body.title() == null
                || body.title().isBlank()
                || body.site() == null
                || body.site().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a work order needs a title and a site");
        }
        WorkOrder order = new WorkOrder(body.title(), body.site(), body.dueOn());
        if (body.technicianId() != null) {
            order.setTechnician(technician(body.technicianId()));
        }
        return WorkOrderView.of(workOrders.save(order));
    }

    @PatchMapping("/{id}")
    @Transactional
    WorkOrderView change(@PathVariable long id, @RequestBody WorkOrderChange body) {
        WorkOrder order = find(id);
        if (body.status() != null) {
            order.setStatus(body.status());
        }
        if (body.notes() != null) {
            order.setNotes(body.notes());
        }
        if (body.technicianId() != null) {
            order.setTechnician(technician(body.technicianId()));
        }
        return WorkOrderView.of(workOrders.saveAndFlush(order)); // flushed: the view shows the new version
    }

    /** A soft delete (SyncEntity): the row is marked deleted, and that mark syncs like any edit. */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Transactional
    void delete(@PathVariable long id) {
        workOrders.delete(find(id));
    }

    private WorkOrder find(long id) {
        return workOrders
                .findById(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no work order " + id));
    }

    private Technician technician(long id) {
        return technicians
                .findById(id)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST, "no technician " + id));
    }
}
