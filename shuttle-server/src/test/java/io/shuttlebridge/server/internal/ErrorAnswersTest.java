package io.shuttlebridge.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.DatabaseException;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** A caller learns what the code says about a failure, not what the driver says about the hub's database. */
class ErrorAnswersTest {
    @Test
    void aDatabaseFailureIsToldByItsKindOnly() {
        DatabaseException e = DatabaseException.of(
                "transaction on jdbc:postgresql://db.internal/hub?user=hub&password=s3cret",
                new SQLException("ERROR: relation \"_shuttle_feed\" is locked", "55P03"));
        assertThat(e.getMessage()).contains("s3cret");
        assertThat(ErrorAnswers.message(e))
                .isEqualTo("the hub's database failed on this request (the hub's log has the details)")
                .doesNotContain("jdbc", "s3cret", "_shuttle_feed");
        DatabaseException busy = DatabaseException.of("transaction on /srv/hub.db", new SQLException("x", "40001"));
        assertThat(ErrorAnswers.message(busy))
                .startsWith("the hub's database is busy")
                .doesNotContain("/srv");
    }

    @Test
    void theCodesOwnMessagesAreToldAsTheyAre() {
        for (ErrorCode code : ErrorCode.values()) {
            ShuttleException e = new ShuttleException(code, "what to fix (" + code + ")");
            assertThat(ErrorAnswers.message(e)).isEqualTo("what to fix (" + code + ")");
        }
        assertThat(ErrorAnswers.unexpected()).doesNotContain("Exception");
    }
}
