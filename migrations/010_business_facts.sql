-- The business's facts answered without AI (issue 12): what it wrote down, cut into sentences that Spanish
-- full text can find, and the facts of each rental listing as columns a question can be answered from.

-- What a passage is found by: its topic above all (A: "envios", "horario"), then its words (B), stemmed as
-- Spanish after folding accents, exactly like the products' search vectors, so "envio", "envíos" and
-- "enviamos" meet. Topics are slugs: their - and _ are word breaks.
CREATE FUNCTION fact_search_vector(topic text, content text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN setweight(to_tsvector('pg_catalog.spanish'::regconfig, immutable_unaccent(translate(coalesce(topic, ''), '-_', '  '))), 'A')
      || setweight(to_tsvector('pg_catalog.spanish'::regconfig, immutable_unaccent(coalesce(content, ''))), 'B');

-- A text cut into sentences and lines, in order: an answer quotes the sentence that says it ("El envío
-- cuesta $10.000") rather than the whole entry. A sentence ends at . ! or ? followed by a capital (or ¿ ¡),
-- so "9:00 a. m. a 7:00 p. m." and "$10.000" stay whole; every line break ends one too.
CREATE FUNCTION fact_sentences(content text) RETURNS TABLE (ordinal integer, sentence text)
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (row_number() OVER (ORDER BY s.n))::integer, trim(s.part)
    FROM regexp_split_to_table(coalesce(content, ''), '(?<=[.!?])\s+(?=[[:upper:]¿¡"«])|\s*\n\s*') WITH ORDINALITY AS s(part, n)
   WHERE trim(s.part) ~ '[[:alnum:]]'
$$;

-- Every sentence of what the business wrote: the business_knowledge rows (kept in step by the trigger
-- below, whoever writes them: the admin API, psql, a migration) and the paragraphs of
-- BUSINESS_KNOWLEDGE_FILE (source 'file', replaced by the worker when it starts).
CREATE TABLE knowledge_passages (
  source         text    NOT NULL CHECK (source IN ('table', 'file')),
  topic          text    NOT NULL,
  ordinal        integer NOT NULL,
  content        text    NOT NULL,
  -- the entry's order as the business set it: between passages that match alike, theirs wins
  sort_order     integer NOT NULL DEFAULT 100,
  search_vector  tsvector GENERATED ALWAYS AS (fact_search_vector(topic, content)) STORED,
  PRIMARY KEY (source, topic, ordinal)
);
CREATE INDEX knowledge_passages_search ON knowledge_passages USING gin (search_vector);

CREATE FUNCTION business_knowledge_passages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM knowledge_passages WHERE source = 'table' AND topic = OLD.topic;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO knowledge_passages (source, topic, ordinal, content, sort_order)
    SELECT 'table', NEW.topic, s.ordinal, s.sentence, NEW.sort_order FROM fact_sentences(NEW.content) s;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER business_knowledge_passages AFTER INSERT OR UPDATE OR DELETE ON business_knowledge
  FOR EACH ROW EXECUTE FUNCTION business_knowledge_passages();
INSERT INTO knowledge_passages (source, topic, ordinal, content, sort_order)
SELECT 'table', k.topic, s.ordinal, s.sentence, k.sort_order FROM business_knowledge k CROSS JOIN LATERAL fact_sentences(k.content) s;

-- A listing's facts as guests ask them ("¿a qué hora es el check-in?", "¿aceptan mascotas?", "¿tiene
-- parqueadero?"). NULL means the host has not said: the assistant then says nothing rather than guess.
-- `rules` stays the host's free text and is searched too.
ALTER TABLE listings
  ADD COLUMN check_in_from    time,
  ADD COLUMN check_out_until  time,
  ADD COLUMN pets_allowed     boolean,
  ADD COLUMN parties_allowed  boolean,
  ADD COLUMN smoking_allowed  boolean,
  -- what the place has, in the host's words ("parqueadero", "wifi", "piscina", "aire acondicionado")
  ADD COLUMN amenities        text[] NOT NULL DEFAULT '{}' CHECK (array_position(amenities, '') IS NULL);
