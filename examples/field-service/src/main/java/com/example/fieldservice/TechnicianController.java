package com.example.fieldservice;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

@RestController
@RequestMapping("/technicians")
class TechnicianController {
    record NewTechnician(String name, String phone) {}

    record TechnicianView(
            @JsonFormat(shape = JsonFormat.Shape.STRING) long id, String name, String phone) {
        static TechnicianView of(Technician t) {
            return new TechnicianView(t.getId(), t.getName(), t.getPhone());
        }
    }

    private final TechnicianRepository technicians;

    TechnicianController(TechnicianRepository technicians) {
        this.technicians = technicians;
    }

    @GetMapping
    List<TechnicianView> list() {
        return technicians.findAll(Sort.by("name")).stream()
                .map(TechnicianView::of)
                .toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    TechnicianView create(@RequestBody NewTechnician body) {
        if (body.name() == null || body.name().isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a technician needs a name");
        }
        return TechnicianView.of(technicians.save(new Technician(body.name(), body.phone())));
    }
}
