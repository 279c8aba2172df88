-- An asset's optional name in Hindi, shown to Hindi readers; `name` stays what was typed.
ALTER TABLE assets ADD COLUMN name_hi TEXT;
