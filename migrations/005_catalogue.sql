-- The shop's catalogue (seed 004, "Gestión de Categorías" and "Búsqueda de Productos"): categories,
-- products with Spanish full-text search, and materialised views derived from them (the category menu;
-- the words and stems search corrects typos with) that every import and the maintenance queue refresh.

-- Both ship with postgresql-contrib and are trusted extensions (PostgreSQL 13+): a database owner may
-- create them without being superuser.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could be edited), so PostgreSQL refuses it in an index or a
-- generated column. This wrapper names the dictionary explicitly and promises immutability: we never
-- edit the dictionary. Indexes and queries must both go through it, or the index is not used. The
-- SQL-standard body is resolved now, so it works whatever search_path a later session has.
CREATE FUNCTION immutable_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN public.unaccent('public.unaccent'::regdictionary, $1);

-- What a product is found by: its name above all (A), its category (B), its description (C), stemmed
-- as Spanish after the accents are folded, so "camisetas" finds "Camiseta" and "audifonos" "Audífonos".
CREATE FUNCTION product_search_vector(name text, category text, description text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN setweight(to_tsvector('pg_catalog.spanish'::regconfig, immutable_unaccent(coalesce(name, ''))), 'A')
      || setweight(to_tsvector('pg_catalog.spanish'::regconfig, immutable_unaccent(coalesce(category, ''))), 'B')
      || setweight(to_tsvector('pg_catalog.spanish'::regconfig, immutable_unaccent(coalesce(description, ''))), 'C');

CREATE TABLE categories (
  id           serial PRIMARY KEY,
  slug         text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name         text        NOT NULL CHECK (name <> ''),
  description  text,
  sort_order   integer     NOT NULL DEFAULT 100, -- lower is listed first; ties by name
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id                bigserial PRIMARY KEY,
  sku               text          NOT NULL UNIQUE CHECK (sku <> ''), -- also WhatsApp's product_retailer_id
  name              text          NOT NULL CHECK (name <> ''),
  description       text,
  category_id       integer       REFERENCES categories (id),
  price             numeric(12,2) NOT NULL CHECK (price >= 0),
  -- an offer is a lower price; NULL when there is none
  offer_price       numeric(12,2) CHECK (offer_price >= 0 AND offer_price < price),
  -- never below zero: checkouts decrement with "WHERE stock >= n", and this refuses any that would not
  stock             integer       NOT NULL DEFAULT 0 CHECK (stock >= 0),
  -- how much customers want it (e.g. recent units sold); breaks ties between equally relevant matches
  popularity_score  numeric(12,2) NOT NULL DEFAULT 0 CHECK (popularity_score >= 0),
  -- the shop's switch: false hides the product whatever its stock
  is_available      boolean       NOT NULL DEFAULT true,
  featured          boolean       NOT NULL DEFAULT false,
  image_url         text,
  -- kept by the trigger below: it holds the category's name, which a generated column cannot read
  search_vector     tsvector      NOT NULL DEFAULT ''::tsvector,
  created_at        timestamptz   NOT NULL DEFAULT now(),
  updated_at        timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX products_search_vector ON products USING gin (search_vector);
-- What customers see is what is on sale now; these orders serve them (listings and search) without a sort.
-- Broad searches ("ropa") walk the popularity order and stop early instead of ranking thousands of matches.
CREATE INDEX products_popularity ON products (popularity_score DESC, id) WHERE is_available AND stock > 0;
-- a category's products best first: featured, then on offer, then popular
CREATE INDEX products_category_listing ON products (category_id, featured DESC, (offer_price IS NOT NULL) DESC, popularity_score DESC, id)
  WHERE is_available AND stock > 0;
-- the whole catalogue in that order
CREATE INDEX products_listing ON products (featured DESC, (offer_price IS NOT NULL) DESC, popularity_score DESC, id)
  WHERE is_available AND stock > 0;

CREATE FUNCTION products_set_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector := product_search_vector(NEW.name, (SELECT name FROM categories WHERE id = NEW.category_id), NEW.description);
  RETURN NEW;
END $$;
-- only the columns the vector is made of: a stock change (every checkout) does not recompute it
CREATE TRIGGER products_search_vector BEFORE INSERT OR UPDATE OF name, description, category_id ON products
  FOR EACH ROW EXECUTE FUNCTION products_set_search_vector();

-- A renamed category is found under its new name too.
CREATE FUNCTION categories_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE products SET search_vector = product_search_vector(name, NEW.name, description) WHERE category_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER categories_renamed AFTER UPDATE OF name ON categories
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION categories_renamed();

-- The category menu: one row per category with what a customer can buy in it now. Counting products on
-- every "ver categorías" would scan the catalogue; this is refreshed after imports and by the maintenance
-- queue instead. The unique index lets REFRESH … CONCURRENTLY run without blocking readers.
CREATE MATERIALIZED VIEW category_listings AS
  SELECT c.id AS category_id, c.slug, c.name, c.description, c.sort_order,
         count(p.id) FILTER (WHERE p.is_available AND p.stock > 0)::integer AS available_count,
         count(p.id) FILTER (WHERE p.is_available AND p.stock > 0 AND p.featured)::integer AS featured_count,
         count(p.id) FILTER (WHERE p.is_available AND p.stock > 0 AND p.offer_price IS NOT NULL)::integer AS offer_count,
         min(coalesce(p.offer_price, p.price)) FILTER (WHERE p.is_available AND p.stock > 0) AS from_price
    FROM categories c
    LEFT JOIN products p ON p.category_id = c.id
   GROUP BY c.id;
CREATE UNIQUE INDEX category_listings_category_id ON category_listings (category_id);

-- How a Spanish word sounds, for typo correction: the letters Latin American Spanish pronounces alike
-- are merged (z/s/soft c, v/b, ll/y, hard c/qu/k, silent h, soft g/j, doubled letters), so "sapatos",
-- "bestido" and "camizeta" sound like "zapatos", "vestido" and "camiseta".
CREATE FUNCTION spanish_sound(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN regexp_replace(
           translate(
             regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower($1),
               'ch', 'x', 'g'), 'qu([ei])', 'k\1', 'g'), 'c([ei])', 's\1', 'g'), 'g([ei])', 'j\1', 'g'), 'll', 'y', 'g'),
             'zcvh', 'skb'),
           '(.)\1+', '\1', 'g');

-- Every stem in the catalogue (names, categories, descriptions) and how many products hold it. Search
-- reads it to tell a known word from an unknown one without touching products, and to know before asking
-- whether a word matches a handful of products or half the shop, which decides how to rank them.
-- (ts_stat runs its query text at refresh time: hence the schema.)
CREATE MATERIALIZED VIEW catalogue_lexemes AS
  SELECT word COLLATE "C" AS lexeme, ndoc AS products
    FROM ts_stat('SELECT search_vector FROM public.products');
-- C collation: "the stems starting with licu" (a word being typed) is a range scan on this index
CREATE UNIQUE INDEX catalogue_lexemes_lexeme ON catalogue_lexemes (lexeme);

-- The words of product and category names as customers should have typed them, accents folded, for typo
-- correction: an unknown word is replaced by the one that sounds the same ("sapatos" → zapatos), else by
-- the most similar by trigrams ("licuadra" → licuadora, "cmisa" → camisa). Matching trigrams against a few
-- thousand words instead of 100,000 product names takes well under a millisecond instead of 10–25 ms
-- (measured), and corrects each word on its own ("camizeta blanka"). Whole words, not stems: a dropped
-- letter changes how a word is stemmed ("vetido" → vet, "vestido" → vest), not much of its trigrams.
CREATE MATERIALIZED VIEW catalogue_words AS
  SELECT word COLLATE "C" AS word, products, spanish_sound(word) AS sound, lexeme
    FROM (SELECT word, count(*)::integer AS products,
                 (tsvector_to_array(to_tsvector('pg_catalog.spanish'::regconfig, word)))[1] AS lexeme
            FROM (SELECT immutable_unaccent(lower(name)) AS text FROM products
                  UNION ALL
                  SELECT immutable_unaccent(lower(name)) FROM categories) named,
                 regexp_split_to_table(named.text, '[^[:alnum:]]+') AS word
           WHERE length(word) >= 3 AND word !~ '[0-9]'
           GROUP BY word) counted
   WHERE lexeme IS NOT NULL; -- stop words ("para", "con") are never what a customer misspelt
CREATE UNIQUE INDEX catalogue_words_word ON catalogue_words (word);
CREATE INDEX catalogue_words_sound ON catalogue_words (sound);
CREATE INDEX catalogue_words_trgm ON catalogue_words USING gin (word gin_trgm_ops);

-- When the derived views were last refreshed, and a digest of the category menu they then held: the next
-- refresh compares with it to tell whether cached menus must go, even when someone refreshed by hand.
-- Also the percentiles of popularity on sale (0th … 100th), which let search read only the popular part
-- of a word's matches.
CREATE TABLE catalogue_refresh (
  id                    boolean     PRIMARY KEY DEFAULT true CHECK (id), -- one row
  listings_digest       text,
  popularity_quantiles  numeric[],
  refreshed_at          timestamptz
);
INSERT INTO catalogue_refresh DEFAULT VALUES;
