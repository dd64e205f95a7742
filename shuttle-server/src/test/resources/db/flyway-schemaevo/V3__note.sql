ALTER TABLE item ADD COLUMN note TEXT;
UPDATE item SET note = 'filled by V3' WHERE id = 2;
CREATE TABLE label (id BIGINT PRIMARY KEY, text TEXT);
