-- The field team a user belongs to (free text chosen by the agency, e.g. "Team Noord"): the team lead's
-- day board filters by it. Empty for users outside the field teams.
ALTER TABLE users ADD COLUMN team TEXT;
