package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** A CSV source with German decimals and dates: initial load, then an incremental pass with every kind of change. */
@ParameterizedClass
@EnumSource(TestDb.Kind.class)
class CsvPipelineIT {
    static final String YAML = """
            entities:
              - name: customers
                table: customer
                source: {type: csv, path: customers.csv, delimiter: ";"}
                fields:
                  KUNNR: string
                  NAME: {type: string, transform: collapse_spaces}
                  SALDO: {type: decimal, locale: de-DE}
                  SEIT: {type: date, format: dd.MM.yyyy}
                rules:
                  - {field: KUNNR, required: true, pattern: "C[0-9]+"}
                mappings:
                  - {target: customer_no, source: KUNNR}
                  - {target: name, source: NAME}
                  - {target: balance, source: SALDO}
                  - {target: since, source: SEIT}
                  - {target: country, constant: DE}
                keys: [customer_no]
                batch_size: 2
            """;

    @Parameter
    TestDb.Kind kind;

    @TempDir
    Path dir;

    TestDb db;

    @BeforeEach
    void setUp() {
        db = kind.create(dir, "target.db");
        db.exec(
                "CREATE TABLE customer (customer_no TEXT PRIMARY KEY, name TEXT, balance TEXT, since TEXT, country TEXT)");
        db.countWrites("customer");
        if (kind == TestDb.Kind.MARIADB) {
            // another database of the same server, whose table of the same name other rows refer to: not the target's
            kind.create(dir, "other")
                    .exec(
                            "CREATE TABLE customer (customer_no TEXT PRIMARY KEY)",
                            "CREATE TABLE customer_order (id INTEGER PRIMARY KEY,"
                                    + " customer_no TEXT REFERENCES customer (customer_no))");
        }
    }

    BridgeService service(SimpleMeterRegistry registry) {
        return BridgeService.builder()
                .target(db.target())
                .definition(PipelineDefinition.parse(YAML, Map.of(), dir))
                .meterRegistry(registry)
                .build();
    }

    @Test
    void initialLoadThenIncrementalWithUpdatesDeletesAndUnchangedRows() throws Exception {
        Files.writeString(dir.resolve("customers.csv"), """
                KUNNR;NAME;SALDO;SEIT
                C1;  Anna   Schmidt ;1.234,56;01.02.2020
                C2;Bernd;0,5;31.12.2021
                C3;Carla;-10;15.06.2019
                """);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (BridgeService bridge = service(registry)) {
            BatchReport first = bridge.run("customers");
            assertThat(first.outcome()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(first.counts().inserted()).isEqualTo(3);
            assertThat(first.passComplete()).isTrue();
            assertThat(db.rows("SELECT * FROM customer WHERE customer_no = 'C1'")
                            .get(0))
                    .containsEntry("name", "Anna Schmidt")
                    .containsEntry("balance", "1234.56")
                    .containsEntry("since", "2020-02-01")
                    .containsEntry("country", "DE");
            assertThat(db.writes("customer")).isEqualTo(3);

            Files.writeString(dir.resolve("customers.csv"), """
                    KUNNR;NAME;SALDO;SEIT
                    C3;Carla;-10,00;15.06.2019
                    C1;Anna Schmidt;1.300,00;01.02.2020
                    C4;Dora;7;01.01.2024
                    """);
            BatchReport second = bridge.run("customers");
            assertThat(second.counts())
                    .extracting(
                            BatchCounts::inserted, BatchCounts::updated, BatchCounts::unchanged, BatchCounts::deleted)
                    .containsExactly(1L, 1L, 1L, 1L);
            assertThat(db.writes("customer")).as("unchanged C3 causes no write").isEqualTo(3 + 3);
            assertThat(db.count("SELECT COUNT(*) FROM customer")).isEqualTo(3);
            assertThat(db.count("SELECT COUNT(*) FROM customer WHERE customer_no = 'C2'"))
                    .isZero();

            BatchReport third = bridge.run("customers");
            assertThat(third.counts().unchanged()).isEqualTo(3);
            assertThat(third.counts().written()).isZero();
            assertThat(db.writes("customer")).isEqualTo(6);
            assertThat(bridge.batches("customers", 10)).hasSize(3);
        }
        assertThat(registry.get("shuttle.bridge.records")
                        .tag("outcome", "inserted")
                        .counter()
                        .count())
                .isEqualTo(4.0);
    }
}
