-- The site sector whose inspections realise a programme line (realisation monitoring); NULL for
-- projects and other work that field inspections do not realise.
ALTER TABLE programme_lines ADD COLUMN sector TEXT;
