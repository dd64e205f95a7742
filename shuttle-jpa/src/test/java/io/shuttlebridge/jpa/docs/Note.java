package io.shuttlebridge.jpa.docs;

import io.shuttlebridge.jpa.SyncEntity;
import jakarta.persistence.Entity;

@Entity
public class Note extends SyncEntity { // id, updatedAt, version, deletedAt come with it
    private String body;

    protected Note() {}

    public Note(String body) {
        this.body = body;
    }

    public String getBody() {
        return body;
    }

    public void setBody(String body) {
        this.body = body;
    }
}
