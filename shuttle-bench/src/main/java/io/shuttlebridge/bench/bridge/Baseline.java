package io.shuttlebridge.bench.bridge;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/** The same-run baseline: parse the CSV and insert every row with one batched statement in one transaction. */
final class Baseline {
    private Baseline() {}

    /** Returns seconds. */
    static double run(Path csv, Path db) throws Exception {
        BridgeBench.createTarget(db);
        long t = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Reader reader = Files.newBufferedReader(csv)) {
            c.setAutoCommit(false);
            MappingIterator<String[]> rows = new CsvMapper()
                    .readerForArrayOf(String.class)
                    .with(CsvParser.Feature.WRAP_AS_ARRAY)
                    .readValues(reader);
            rows.next();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                int n = 0;
                while (rows.hasNextValue()) {
                    String[] r = rows.nextValue();
                    ps.setLong(1, Long.parseLong(r[0]));
                    ps.setString(2, r[1]);
                    ps.setString(3, r[2]);
                    ps.setLong(4, Long.parseLong(r[3]));
                    ps.setString(5, r[4]);
                    ps.setLong(6, Long.parseLong(r[5]));
                    ps.setString(7, r[6]);
                    ps.setString(8, r[7]);
                    ps.addBatch();
                    if (++n % 20_000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        return (System.nanoTime() - t) / 1e9;
    }
}
